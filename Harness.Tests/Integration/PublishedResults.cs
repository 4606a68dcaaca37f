using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Tests.Integration;

/// <summary>A behaviour verdict and a close verdict, as Autobahn labels them.</summary>
internal readonly record struct Verdicts(Behavior Behavior, CloseBehavior Close)
{
    public static readonly Verdicts Ok = new(Behavior.Ok, CloseBehavior.Ok);
    public static readonly Verdicts NonStrict = new(Behavior.NonStrict, CloseBehavior.Ok);
    public static readonly Verdicts Informational = new(Behavior.Informational, CloseBehavior.Informational);

    public override string ToString() => $"{Behavior.Label()} / {Close.Label()}";
}

/// <summary>Where an expected verdict comes from.</summary>
internal enum ExpectationSource
{
    /// <summary>Results the target's authors (or Autobahn's rules for everyone) published.</summary>
    Published,

    /// <summary>No published result exists (category 11 is ours): what RFC 6455 requires of a conforming peer.</summary>
    Rfc,

    /// <summary>A documented, investigated difference between the RFC expectation and what the library does.</summary>
    KnownDifference,
}

/// <param name="Alternative">A second acceptable outcome, for cases whose verdict depends on the peer's scheduling.</param>
internal sealed record ExpectedVerdicts(Verdicts Verdicts, ExpectationSource Source, string? Note = null, Verdicts? Alternative = null)
{
    public bool Accepts(Verdicts got) => got == Verdicts || got == Alternative;
}

/// <summary>
/// A case where the target is known not to do what the RFC asks, with the evidence. The comparison expects
/// <see cref="Observed"/>, so the test keeps failing loudly both if the difference goes away (then this entry
/// must be removed) and if it changes shape.
/// </summary>
internal sealed record KnownDifference(string CaseId, Verdicts Conformant, Verdicts Observed, string Explanation);

/// <summary>The expected verdict of every case for one target.</summary>
internal sealed class TargetExpectations
{
    public required string Target { get; init; }

    /// <summary>Where the published verdicts come from.</summary>
    public required string Source { get; init; }

    /// <summary>Categories the published results cover (Autobahn's 1–7, 9, 10; 12/13 are not in our catalogue).</summary>
    public required IReadOnlySet<int> PublishedCategories { get; init; }

    /// <summary>Published verdicts other than OK / OK; every other case of a published category is OK / OK.</summary>
    public required IReadOnlyDictionary<string, Verdicts> PublishedNotOk { get; init; }

    /// <summary>Categories without published results, expected to behave as RFC 6455 requires (OK / OK).</summary>
    public IReadOnlySet<int> RfcOnlyCategories { get; init; } = new HashSet<int> { PublishedResults.MaskingCategory };

    /// <summary>
    /// Verdicts other than OK / OK that the RFC expectation itself gives in <see cref="RfcOnlyCategories"/>: Autobahn's
    /// informational cases (7.1.6, 7.13.x) are INFORMATIONAL for every implementation, published or not.
    /// </summary>
    public IReadOnlyDictionary<string, Verdicts> RfcNotOk { get; init; } = new Dictionary<string, Verdicts>();

    public IReadOnlyList<KnownDifference> KnownDifferences { get; init; } = [];

    /// <summary>
    /// OK/NON-STRICT cases whose outcome is a race inside the peer (echo the valid message first, or
    /// notice the bad frame first), published once as one of the two: either is accepted, FAILED is not.
    /// </summary>
    public IReadOnlyDictionary<string, string> SchedulingDependent { get; init; } = new Dictionary<string, string>();

    /// <summary>Expectations for the compression categories 12–14, decided per case (see Compression/CompressionExpectations); null: none.</summary>
    public Func<string, ExpectedVerdicts?>? Compression { get; init; }

    /// <summary>Expectations for the opening handshake, category 15, decided per case (see Handshake/HandshakeExpectations); null: none.</summary>
    public Func<string, ExpectedVerdicts?>? Handshake { get; init; }

    /// <summary>The verdicts expected for a case, or null when neither published results nor an RFC expectation cover it.</summary>
    public ExpectedVerdicts? For(string caseId)
    {
        var id = CaseId.Parse(caseId);
        if (id.Category == 15)
        {
            return Handshake?.Invoke(caseId);
        }

        if (KnownDifferences.FirstOrDefault(k => k.CaseId == caseId) is { } known)
        {
            return new ExpectedVerdicts(known.Observed, ExpectationSource.KnownDifference, known.Explanation);
        }

        if (id.Category is >= 12 and <= 14 && Compression?.Invoke(caseId) is { } compression)
        {
            return compression;
        }

        if (PublishedCategories.Contains(id.Category))
        {
            var published = PublishedNotOk.GetValueOrDefault(caseId, Verdicts.Ok);
            return SchedulingDependent.TryGetValue(caseId, out string? why)
                ? new ExpectedVerdicts(published, ExpectationSource.Published, why, published == Verdicts.Ok ? Verdicts.NonStrict : Verdicts.Ok)
                : new ExpectedVerdicts(published, ExpectationSource.Published);
        }

        return RfcOnlyCategories.Contains(id.Category) ? new ExpectedVerdicts(RfcNotOk.GetValueOrDefault(caseId, Verdicts.Ok), ExpectationSource.Rfc) : null;
    }
}

/// <summary>
/// Expected verdicts per target, as DATA taken from published results — never from this harness's own
/// output. A mismatch therefore means either the harness or the library changed; investigate before
/// editing anything here.
/// </summary>
internal static class PublishedResults
{
    /// <summary>Category 11 (masking) is ours: nobody has published results for it.</summary>
    public const int MaskingCategory = 11;

    internal static readonly IReadOnlySet<int> AutobahnCategories = new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 9, 10 };

    /// <summary>
    /// Autobahn forces both verdicts of these cases to INFORMATIONAL for every implementation
    /// (catalogue §1.8: 7.1.6 and 7.13.x "always end as INFORMATIONAL for both behaviour and close").
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, Verdicts> InformationalForEveryone = new Dictionary<string, Verdicts>(StringComparer.Ordinal)
    {
        ["7.1.6"] = Verdicts.Informational,
        ["7.13.1"] = Verdicts.Informational,
        ["7.13.2"] = Verdicts.Informational,
    };

    /// <summary>
    /// websockets/ws (Node.js) as a server, without permessage-deflate — the set-up of ws's own Autobahn
    /// server run (test/autobahn-server.js). Published report: http://websockets.github.io/ws/autobahn/servers/
    /// (linked from the ws README as "server-report"): every case of 1–7, 9, 10 passes with a clean close,
    /// except 6.4.1–6.4.4 which are NON-STRICT (ws validates the UTF-8 of a text message only once the whole
    /// message is in — lib/receiver.js dataMessage — so it fails after the final part rather than on the
    /// first bad fragment), plus
    /// Autobahn's informational cases.
    /// Category 11 (no published result): ws checks the MASK bit as soon as the two-octet frame header is
    /// in (lib/receiver.js getInfo: "MASK must be set", 1002), so every 11.1.x case is expected to pass.
    /// </summary>
    public static TargetExpectations Ws { get; } = new()
    {
        Target = NodeWsAgent,
        Source = "websockets/ws published Autobahn server report (websockets.github.io/ws/autobahn/servers/)",
        PublishedCategories = AutobahnCategories,
        Compression = Compression.CompressionExpectations.WithoutDeflate,
        Handshake = Handshake.HandshakeExpectations.Ws,
        PublishedNotOk = With(InformationalForEveryone, new()
        {
            ["6.4.1"] = Verdicts.NonStrict,
            ["6.4.2"] = Verdicts.NonStrict,
            ["6.4.3"] = Verdicts.NonStrict,
            ["6.4.4"] = Verdicts.NonStrict,
        }),
    };

    /// <summary>
    /// Kestrel with System.Net.WebSockets (ManagedWebSocket). ASP.NET Core's own Autobahn conformance test
    /// (dotnet/aspnetcore, src/Middleware/WebSockets/test/ConformanceTests/AutobahnTests.cs, cases "*"
    /// minus 12.*/13.*) expects every case OK except <c>.NonStrict("6.4.3", "6.4.4")</c>, with the comment
    /// pointing to aspnet/WebSockets#99: ManagedWebSocket validates UTF-8 per receive call, so a bad code
    /// point inside a frame that is still arriving is only seen when the frame is complete (6.4.1/6.4.2
    /// split the message into frames and so fail fast). Plus Autobahn's informational cases.
    /// </summary>
    public static TargetExpectations Kestrel { get; } = new()
    {
        Target = Conformance.Harness.Targets.KestrelEchoServer.Agent,
        Source = "dotnet/aspnetcore AutobahnTests expectations (.NonStrict(\"6.4.3\", \"6.4.4\"), aspnet/WebSockets#99)",
        PublishedCategories = AutobahnCategories,
        Compression = Compression.CompressionExpectations.WithoutDeflate,
        Handshake = Handshake.HandshakeExpectations.Kestrel,
        PublishedNotOk = With(InformationalForEveryone, new()
        {
            ["6.4.3"] = Verdicts.NonStrict,
            ["6.4.4"] = Verdicts.NonStrict,
        }),
        KnownDifferences =
        [
            new KnownDifference(
                "11.1.3",
                Conformant: Verdicts.Ok,
                Observed: new Verdicts(Behavior.Ok, CloseBehavior.Failed),
                Explanation:
                    "System.Net.WebSockets does not notice an unmasked close frame with a 2-octet payload (88 02 03 e8, 4 octets in all) " +
                    "until more octets arrive: as a server, ManagedWebSocket.ReceiveAsyncPrivate waits for 2 + MaskLength (4) = 6 octets " +
                    "(EnsureBufferContainsAsync(minNeeded)) before it parses the header and sees the MASK bit is clear. Nothing more arrives, " +
                    "so the tester's K(1) timer fires and the tester closes (1001) — closed by the wrong endpoint → close FAILED; nothing was " +
                    "echoed and category 11 has no wrong-endpoint-is-fatal rule → behaviour OK. Kestrel then parses the header and answers 1002. " +
                    "RFC 6455 §5.1 requires the server to close on an unmasked frame. Verified with a raw socket and in the run's wire log."),
        ],
    };

    /// <summary>
    /// Debian's python3-websockets (10.4 in Debian 12) as a server, set up like websockets' own Autobahn
    /// testee. Published conformance notes (python-websockets/websockets, compliance/README.rst): every
    /// case passes except NON-STRICT in 3.2, 3.3, 4.1.3, 4.1.4, 4.2.3, 4.2.4 and 5.15 ("websockets notices
    /// the protocol error and closes the connection before it has had a chance to echo the previous
    /// frame") and in 6.4.3 and 6.4.4 (the invalid UTF-8 is not noticed fast enough), plus Autobahn's
    /// informational cases. Which of "echo" and "fail" comes first in 3.2–3.4, 4.1.3–4.1.5, 4.2.3–4.2.5
    /// and 5.15 is a race between two tasks in websockets' event loop, so OK and NON-STRICT are both
    /// accepted there; the other cases must match exactly.
    /// </summary>
    public static TargetExpectations PythonWebsockets { get; } = new()
    {
        Target = Support.PythonWebsocketsServer.Agent,
        Source = "python-websockets/websockets compliance/README.rst conformance notes",
        PublishedCategories = AutobahnCategories,
        Handshake = Handshake.HandshakeExpectations.PythonWebsockets,
        PublishedNotOk = With(InformationalForEveryone, new()
        {
            ["3.2"] = Verdicts.NonStrict,
            ["3.3"] = Verdicts.NonStrict,
            ["4.1.3"] = Verdicts.NonStrict,
            ["4.1.4"] = Verdicts.NonStrict,
            ["4.2.3"] = Verdicts.NonStrict,
            ["4.2.4"] = Verdicts.NonStrict,
            ["5.15"] = Verdicts.NonStrict,
            ["6.4.3"] = Verdicts.NonStrict,
            ["6.4.4"] = Verdicts.NonStrict,
        }),
        SchedulingDependent = new[] { "3.2", "3.3", "3.4", "4.1.3", "4.1.4", "4.1.5", "4.2.3", "4.2.4", "4.2.5", "5.15" }
            .ToDictionary(id => id, _ => "echo-versus-error race inside websockets' event loop", StringComparer.Ordinal),
    };

    /// <summary>The agent name the ws target runs under (its version is pinned in <see cref="Support.NodeWs"/>).</summary>
    public const string NodeWsAgent = Support.NodeWsEchoServer.Agent;

    internal static Dictionary<string, Verdicts> With(IReadOnlyDictionary<string, Verdicts> common, Dictionary<string, Verdicts> specific)
    {
        var all = new Dictionary<string, Verdicts>(common, StringComparer.Ordinal);
        foreach (var (id, verdicts) in specific)
        {
            all.Add(id, verdicts);
        }

        return all;
    }
}
