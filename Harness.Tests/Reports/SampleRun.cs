using Conformance.Reports.Model;

namespace Conformance.Tests.Reports;

/// <summary>A small hand-made run: two agents, case IDs that sort differently as text and as numbers, hostile text.</summary>
internal static class SampleRun
{
    /// <summary>Spaces and a slash: cleaned to <c>kestrel_10_0_ws</c> in file names, kept raw in index.json.</summary>
    public const string Kestrel = "Kestrel 10.0/ws";

    public const string Python = "AutobahnPython/0.10.9";

    /// <summary>Markup, a control character (BEL), a line break and a non-ASCII letter, as a peer might send them.</summary>
    public const string HostileCloseReason = "bye <script>alert('x')</script>\u0007\nfin & caf\u00e9";

    public static readonly DateTimeOffset Start = new(2025, 11, 15, 9, 8, 7, 654, TimeSpan.FromHours(2));

    public static RunResult Build() => new(Info, [.. Results()]);

    public static RunInfo Info => new()
    {
        HarnessVersion = "0.1.0",
        CatalogueVersion = "test",
        Mode = "server",
        Started = Start,
    };

    public static IEnumerable<CaseResult> Results()
    {
        yield return Case(Kestrel, "2.1", 2, "Pings/Pongs", 12.5, 1000) with { CaseIndex = 17 };
        yield return Case(Kestrel, "10.1.1", 10, "Misc", 1002.4, 1000) with { CaseIndex = 301 };
        yield return Utf8FailFast();
        yield return Case(Python, "2.1", 2, "Pings/Pongs", 7.5, 1000) with { CaseIndex = 17 };
        yield return Case(Python, "10.1.1", 10, "Misc", 0.49, null) with
        {
            CaseIndex = 301,
            Behavior = Behavior.NonStrict,
            CloseBehavior = CloseBehavior.WrongCode,
        };
    }

    /// <summary>The detailed one: a failed fail-fast case whose peer closed with a hostile reason.</summary>
    public static CaseResult Utf8FailFast() => Case(Kestrel, "6.4.1", 6, "UTF-8 Handling", 2003.5, 1002) with
    {
        CaseIndex = 71,
        SubcategoryTitle = "Fail-fast on invalid UTF-8",
        Description = "Send a text message with a payload which is not valid UTF-8 in 3 fragments.",
        Expectation = "The connection is failed immediately, since all data following the invalid octets is invalid.",
        RfcSection = "RFC 6455 \u00a78.1",
        Requirement = "MUST",
        Behavior = Behavior.Failed,
        BehaviorReason = "Connection was not failed fast: the peer waited for the third fragment.",
        CloseBehavior = CloseBehavior.Ok,
        CloseReason = "Peer closed with 1002 <protocol error>.",
        Expected = new Dictionary<string, IReadOnlyList<string>>
        {
            ["OK"] = [],
            ["NON-STRICT"] = ["timeout A"],
        },
        ExpectedClose = "peer fails the connection; code 1007; clean not required",
        Received = ["timeout A", "timeout B"],
        Closing = new CloseDetails
        {
            ClosedByMe = false,
            FailedByMe = false,
            DroppedByMe = true,
            WasClean = true,
            WasNotCleanReason = null,
            LocalCloseCode = 1000,
            LocalCloseReason = null,
            RemoteCloseCode = 1002,
            RemoteCloseReason = HostileCloseReason,
        },
        HttpRequest = "GET / HTTP/1.1\r\nHost: localhost:9001\r\nUpgrade: websocket\r\n\r\n",
        HttpResponse = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        WireLog =
        [
            new WireEntry(0.5, WireDirection.Tx, new WireFrame
            {
                Opcode = 1,
                OpcodeName = "TEXT",
                Fin = false,
                Rsv = 0,
                Masked = true,
                MaskKey = "0a0b0c0d",
                PayloadLength = 5,
                PayloadText = null,
                PayloadHex = "cebae1bdb9",
                RawHex = "0185 0a0b0c0d c4b1edb0b3",
                Writing = "whole",
            }, null),
            WireEntry.ForNote(1000.25, WireDirection.Local, "pause 1 s (A)"),
            new WireEntry(2003.125, WireDirection.Rx, new WireFrame
            {
                Opcode = 8,
                OpcodeName = "CLOSE",
                Fin = true,
                Rsv = 0,
                Masked = false,
                PayloadLength = 200,
                PayloadText = "\u0003\u00eabye <script>",
                PayloadHex = "03ea627965203c7363726970743e",
                PayloadCut = true,
                RawHex = "887e00c8 03ea627965203c7363726970743e",
            }, null),
            WireEntry.ForNote(2003.5, WireDirection.Local, "TCP closed by the harness"),
        ],
        Stats = new WireStats
        {
            RxOctets = 214,
            TxOctets = 302,
            RxFrames = new Dictionary<int, int> { [10] = 2, [8] = 1, [9] = 1 },
            TxFrames = new Dictionary<int, int> { [0] = 2, [1] = 1, [8] = 1 },
        },
    };

    public static CaseResult Case(string agent, string id, int category, string categoryName, double durationMs, int? remoteCloseCode) => new()
    {
        Agent = agent,
        CaseId = id,
        CaseIndex = 1,
        Category = category,
        CategoryName = categoryName,
        Description = $"Case {id}.",
        Expectation = "Echo.",
        Behavior = Behavior.Ok,
        BehaviorReason = "Actual events match at least one expected.",
        CloseBehavior = CloseBehavior.Ok,
        CloseReason = "Connection was properly closed.",
        Started = Start,
        DurationMs = durationMs,
        Closing = new CloseDetails { ClosedByMe = true, WasClean = true, RemoteCloseCode = remoteCloseCode },
    };
}
