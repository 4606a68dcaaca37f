using Conformance.Cases.Scripting;
using Conformance.Reports.Model;
using Conformance.Tests.Integration;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Compression;

/// <summary>
/// Expected verdicts of categories 12–14, as data. 12/13 come from the published state (the issue:
/// ws passes all 216); 14 is ours, so it is what RFC 7692 requires, plus each library's investigated
/// differences with the evidence.
/// </summary>
internal static class CompressionExpectations
{
    private static readonly Verdicts Unimplemented = new(Behavior.Unimplemented, CloseBehavior.Ok);
    private static readonly Verdicts RefusedHandshake = new(Behavior.NonStrict, CloseBehavior.Informational);
    private static readonly Verdicts Failed = new(Behavior.Failed, CloseBehavior.Failed);

    /// <summary>
    /// A server without permessage-deflate (ws and Kestrel as the other tests start them): 12/13 and most of 14
    /// are UNIMPLEMENTED; it declines every 14.1 offer by ignoring the header, and refuses RSV1 (14.5.4).
    /// </summary>
    public static ExpectedVerdicts? WithoutDeflate(string caseId) => CaseId.Parse(caseId) switch
    {
        { Category: 12 or 13 } => new(Unimplemented, ExpectationSource.Rfc, "no extension agreed: Autobahn's UNIMPLEMENTED"),
        { Category: 14 } id when id.Subcategory == "14.1" || caseId == "14.5.4" => new(Verdicts.Ok, ExpectationSource.Rfc),
        { Category: 14 } => new(Unimplemented, ExpectationSource.Rfc, "no extension agreed"),
        _ => null,
    };

    /// <summary>
    /// ws 8.18 with perMessageDeflate (ws-echo-server.js --deflate). ws's own server report runs without the
    /// extension (test/autobahn-server.js uses the defaults, and a ws server has perMessageDeflate off by
    /// default), so the all-OK of 12/13 is the published state the issue names; lib/permessage-deflate.js is
    /// the same code for both roles.
    /// </summary>
    public static TargetExpectations WsDeflate { get; } = new()
    {
        Target = "ws (perMessageDeflate)",
        Source = "all 216 cases of 12/13 OK (the issue's published ws result); 14 from RFC 7692",
        PublishedCategories = new HashSet<int>(),
        PublishedNotOk = new Dictionary<string, Verdicts>(),
        RfcOnlyCategories = new HashSet<int>(),
        Compression = id => CaseId.Parse(id).Category switch
        {
            12 or 13 => new(Verdicts.Ok, ExpectationSource.Published),
            14 => new(Verdicts.Ok, ExpectationSource.Rfc),
            _ => null,
        },
        KnownDifferences =
        [
            .. new[] { "14.1.1", "14.1.2", "14.1.3", "14.1.4", "14.1.5", "14.1.7", "14.1.8", "14.1.9" }.Select(id => new KnownDifference(id, Verdicts.Ok, RefusedHandshake,
                "ws refuses the whole opening handshake with 400 'Invalid or unacceptable Sec-WebSocket-Extensions header' instead of declining the offer: " +
                "lib/permessage-deflate.js normalizeParams throws on an unknown parameter, a repeated one or an invalid value, and lib/websocket-server.js " +
                "completeUpgrade turns any such error into abortHandshake(400) - also when a later offer (14.1.9) is valid. RFC 7692 §7 asks the server to decline the offer.")),
            new KnownDifference("14.1.6", Verdicts.Ok, RefusedHandshake,
                "ws accepts server_max_window_bits=09 as 9 (normalizeParams: +value, Number.isInteger, 8-15) and answers server_max_window_bits=9; " +
                "RFC 7692 §7.1.2.1's prose forbids leading zeros (its ABNF 1*DIGIT does not), so the case calls that NON-STRICT and the tester, as a client must, " +
                "fails the connection on a response to an offer it considers invalid (close INFORMATIONAL)."),
        ],
    };

    /// <summary>
    /// Kestrel with System.Net.WebSockets and <c>DangerousEnableCompression</c> (the /deflate path). No published
    /// results: ASP.NET Core's Autobahn test excludes 12/13. The differences were read from the runs' wire logs.
    /// </summary>
    public static TargetExpectations KestrelDeflate { get; } = new()
    {
        Target = "Kestrel /deflate",
        Source = "RFC 7692 (no published results: dotnet/aspnetcore's Autobahn test excludes 12.*/13.*)",
        PublishedCategories = new HashSet<int>(),
        PublishedNotOk = new Dictionary<string, Verdicts>(),
        RfcOnlyCategories = new HashSet<int>(),
        Compression = id => CaseId.Parse(id).Category is >= 12 and <= 14 ? new(Verdicts.Ok, ExpectationSource.Rfc) : null,
        KnownDifferences =
        [
            new KnownDifference("14.1.1", Verdicts.Ok, Failed,
                "ASP.NET Core's negotiation skips parameters it does not know: it answers 'permessage-deflate; x_wsconf_unknown' with plain 'permessage-deflate', accepting an offer RFC 7692 §7 requires it to decline."),
            new KnownDifference("14.1.5", Verdicts.Ok, Failed,
                "ASP.NET Core reads a valueless server_max_window_bits as no limit and answers server_max_window_bits=15; the offer is invalid (§7.1.2.1: the parameter needs a value) and must be declined."),
            new KnownDifference("14.1.6", Verdicts.Ok, RefusedHandshake,
                "ASP.NET Core parses server_max_window_bits=09 as 9 and answers server_max_window_bits=9 (leading zeros: NON-STRICT, see the case)."),
            new KnownDifference("14.1.8", Verdicts.Ok, Failed,
                "ASP.NET Core accepts client_no_context_takeover=1, ignoring the value; §7.1.1.2 gives the parameter no value, so the offer must be declined."),
            new KnownDifference("14.4.4", Verdicts.Ok, Failed,
                "A compressed message ending in a final (BFINAL) DEFLATE block - the RFC's own example f3 48 cd c9 c9 07 00 (§7.2.3.4) - makes System.Net.WebSockets' " +
                "WebSocketInflater throw: after zlib's Z_STREAM_END the appended 00 00 ff ff stays unconsumed, so the message never finishes. The echo application " +
                "catches the WebSocketException and Kestrel resets the connection about 200 ms later: no echo and no close frame."),
            new KnownDifference("14.5.1", Verdicts.Ok, Failed,
                "System.Net.WebSockets answers a ping with RSV1 set with a pong instead of failing the connection (RFC 7692 §6): with compression on it accepts RSV1 on any frame."),
            new KnownDifference("14.5.2", Verdicts.Ok, Failed,
                "System.Net.WebSockets ignores an unsolicited pong with RSV1 set instead of failing the connection (RFC 7692 §6); the tester's timer closes (wrong endpoint, fatal in this case)."),
        ],
    };

    /// <summary>The IDs of categories 12–14 in the catalogue.</summary>
    public static string[] Ids(params int[] categories) =>
        CaseCatalogue.All.Where(c => categories.Contains(c.Category)).Select(c => c.Id.Text).ToArray();
}
