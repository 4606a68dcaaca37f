using Conformance.Reports.Model;
using Conformance.Tests.Integration;

namespace Conformance.Tests.Clients;

/// <summary>
/// Expected verdicts of the clients under test, as DATA from published results or from what RFC 6455 asks,
/// never from this harness's own output. Known differences carry their evidence; a mismatch means the harness
/// or the client changed: investigate before editing anything here.
/// </summary>
internal static class ClientExpectations
{
    /// <summary>The categories of the catalogue that apply to clients: Autobahn's and ours (11.1.x; 11.2.x are for servers only).</summary>
    public static readonly IReadOnlySet<int> AllCategories = new HashSet<int>(PublishedResults.AutobahnCategories) { PublishedResults.MaskingCategory };

    /// <summary>
    /// websockets/ws as a client, driven by Harness/Targets/ws-client-driver.js. ws publishes its client report next to
    /// its server report (websockets.github.io/ws/autobahn/clients/, linked from the ws README), and it is the same set:
    /// every case of 1–7, 9, 10 OK with a clean close, except 6.4.1–6.4.4 NON-STRICT (ws validates a text message's UTF-8
    /// once the whole message is in, lib/receiver.js) and Autobahn's informational cases. Category 11 (no published
    /// result): ws checks that a server frame is NOT masked as soon as the two-octet header is in (lib/receiver.js
    /// getInfo: "MASK must be clear", 1002), so 11.1.x are expected to pass.
    /// </summary>
    public static TargetExpectations Ws { get; } = new()
    {
        Target = "ws " + Support.NodeWs.Version + " (client)",
        Source = "websockets/ws published Autobahn client report (websockets.github.io/ws/autobahn/clients/)",
        PublishedCategories = PublishedResults.AutobahnCategories,
        PublishedNotOk = PublishedResults.With(PublishedResults.InformationalForEveryone, new()
        {
            ["6.4.1"] = Verdicts.NonStrict,
            ["6.4.2"] = Verdicts.NonStrict,
            ["6.4.3"] = Verdicts.NonStrict,
            ["6.4.4"] = Verdicts.NonStrict,
        }),
        Handshake = Handshake.HandshakeExpectations.WsClient,
    };

    /// <summary>
    /// .NET's ClientWebSocket (ManagedWebSocket in client mode). Nobody publishes an Autobahn client report for it, so the
    /// expectation is what RFC 6455 asks, judged with Autobahn's rules: every case OK, the informational cases
    /// INFORMATIONAL. Differences found, each with its evidence, are listed as known differences.
    /// </summary>
    public static TargetExpectations ClientWebSocket { get; } = new()
    {
        Target = Harness.Targets.ClientWebSocketDriver.Agent,
        Source = "no published client report: RFC 6455 under Autobahn's rules",
        PublishedCategories = new HashSet<int>(),
        PublishedNotOk = new Dictionary<string, Verdicts>(),
        RfcOnlyCategories = AllCategories,
        RfcNotOk = PublishedResults.InformationalForEveryone,
        Compression = Compression.CompressionExpectations.WithoutDeflate, // the embedded driver offers no permessage-deflate
        Handshake = Handshake.HandshakeExpectations.ClientWebSocket,
        KnownDifferences =
        [
            new KnownDifference("6.4.3", Verdicts.Ok, Verdicts.NonStrict, Utf8LateExplanation("f4 90 80 80", "part 2")),
            new KnownDifference("6.4.4", Verdicts.Ok, Verdicts.NonStrict, Utf8LateExplanation("90 (after f4)", "part 2")),
        ],
    };

    /// <summary>The cases Chromium fails, documented in the README with the wire evidence and Chromium's source.</summary>
    public static readonly IReadOnlyDictionary<string, int> ChromiumEchoesInvalidCloseCodes = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["7.9.1"] = 0,
        ["7.9.2"] = 999,
        ["7.9.3"] = 1004,
        ["7.9.6"] = 1016,
        ["7.9.7"] = 1100,
        ["7.9.8"] = 2000,
        ["7.9.9"] = 2999,
    };

    /// <summary>
    /// Chromium (headless, through the browser driver page) on categories 1–5 and 7. No published report for this
    /// version; RFC 6455 under Autobahn's rules, with the 7.9.x difference below. Verdicts that Autobahn counts as
    /// passing but not strict (NON-STRICT) are reported by the test, not pinned: they come from the page's echo
    /// running in JavaScript after the browser has already read the bad frame that follows (3.2–3.4, 4.x.3–4.x.5).
    /// </summary>
    public static TargetExpectations Chromium { get; } = new()
    {
        Target = "Chromium (headless)",
        Source = "no published report for this version: RFC 6455 under Autobahn's rules",
        PublishedCategories = new HashSet<int>(),
        PublishedNotOk = new Dictionary<string, Verdicts>(),
        RfcOnlyCategories = new HashSet<int> { 1, 2, 3, 4, 5, 7 },
        RfcNotOk = PublishedResults.InformationalForEveryone,
        KnownDifferences = [.. ChromiumEchoesInvalidCloseCodes.Select(c => new KnownDifference(c.Key, Verdicts.Ok, new Verdicts(Behavior.Failed, CloseBehavior.WrongCode),
            $"The harness sends a close frame with the invalid code {c.Value}; Chromium answers with a close frame carrying the same code " +
            "instead of failing the connection with 1002. net/websockets/websocket_channel.cc: ParseClose() rejects only 1005, 1006 and " +
            "1015 and keeps any other code, and RespondToClosingHandshake() echoes received_close_code_. RFC 6455 §7.4.2: codes below 1000 " +
            "are not used and 1004, 1016–2999 are reserved; Autobahn expects the peer to fail the connection (1002 or a TCP drop)."))],
    };

    private static string Utf8LateExplanation(string octets, string part) =>
        $"ClientWebSocket (ManagedWebSocket) checks the UTF-8 of a text frame only when the frame is complete: in this case the frame is " +
        $"written in 3 parts 1 s apart and the invalid octets ({octets}) arrive in {part}, but the client keeps the connection open (the " +
        "harness records both 1 s markers) and fails it with 1007 only after the last part arrived (wire log: the client's CLOSE 1007 follows " +
        "the last TX part by a few milliseconds, about 2 s after the invalid octets). RFC 6455 §8.1 says MUST fail, without saying when; " +
        "Autobahn rates failing late NON-STRICT. The same library as a server has the same published expectation (dotnet/aspnetcore " +
        "AutobahnTests: .NonStrict(\"6.4.3\", \"6.4.4\"), aspnet/WebSockets#99).";
}
