using System.Globalization;
using System.Text.Json.Nodes;
using Conformance.Reports.Model;

namespace Conformance.Reports.Reading;

/// <summary>A per-case JSON record (ours or Autobahn's, §2.6 of the spec) turned back into a <see cref="CaseResult"/>.</summary>
internal static class CaseRecord
{
    public static CaseResult ToResult(string agent, string caseId, IndexEntry entry, JsonObject? record, CatalogueEntry? known)
    {
        var r = record ?? [];
        int category = Json.Int(r, "category") ?? known?.Category ?? LeadingNumber(caseId);
        string behavior = Json.Text(r, "behavior") ?? entry.Behavior;
        string close = Json.Text(r, "behaviorClose") ?? entry.BehaviorClose;
        return new CaseResult
        {
            Agent = agent,
            CaseId = caseId,
            CaseIndex = Json.Int(r, "case") ?? 0,
            Category = category,
            CategoryName = Json.Text(r, "categoryName") ?? known?.CategoryName ?? $"Category {category}",
            SubcategoryTitle = Json.Text(r, "subcategory") ?? known?.SubcategoryTitle,
            Description = Json.Text(r, "description") ?? known?.Description ?? "",
            Expectation = Json.Text(r, "expectation") ?? "",
            RfcSection = Json.Text(r, "rfcSection") ?? "",
            Requirement = Json.Text(r, "requirement") ?? "",
            Behavior = VerdictParsing.ParseBehavior(behavior),
            BehaviorReason = Json.Text(r, "result") ?? (record is null ? "the per-case JSON file is missing or unreadable" : ""),
            CloseBehavior = VerdictParsing.ParseClose(close),
            CloseReason = Json.Text(r, "resultClose") ?? "",
            Started = Json.Time(r, "started") ?? DateTimeOffset.UnixEpoch,
            DurationMs = Json.Number(r, "duration") ?? entry.Duration ?? 0,
            TesterIsServer = Json.Bool(r, "isServer"),
            Closing = new CloseDetails
            {
                ClosedByMe = Json.Bool(r, "closedByMe"),
                FailedByMe = Json.Bool(r, "failedByMe"),
                DroppedByMe = Json.Bool(r, "droppedByMe"),
                WasClean = Json.Bool(r, "wasClean"),
                WasNotCleanReason = Json.Text(r, "wasNotCleanReason"),
                WasServerConnectionDropTimeout = Json.Bool(r, "wasServerConnectionDropTimeout"),
                WasOpenHandshakeTimeout = Json.Bool(r, "wasOpenHandshakeTimeout"),
                WasCloseHandshakeTimeout = Json.Bool(r, "wasCloseHandshakeTimeout"),
                LocalCloseCode = Json.Int(r, "localCloseCode"),
                LocalCloseReason = Json.Text(r, "localCloseReason"),
                RemoteCloseCode = Json.Int(r, "remoteCloseCode") ?? (record is null ? entry.RemoteCloseCode : null),
                RemoteCloseReason = Json.Text(r, "remoteCloseReason"),
            },
            Expected = r["expected"] is JsonObject expected
                ? expected.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)Events(e.Value), StringComparer.Ordinal)
                : new Dictionary<string, IReadOnlyList<string>>(),
            ExpectedClose = r["expectedClose"] is { } expectedClose ? Json.Describe(expectedClose) : "",
            ExpectedHandshake = Json.Text(r, "expectedHandshake") ?? "",
            Received = Events(r["received"]),
            HttpRequest = Json.Text(r, "httpRequest") ?? "",
            HttpResponse = Json.Text(r, "httpResponse") ?? "",
            WireLog = WireLog(r),
            Stats = new WireStats
            {
                RxOctets = (long)(Json.Number(r, "rxOctets") ?? OctetTotal(r["rxOctetStats"])),
                TxOctets = (long)(Json.Number(r, "txOctets") ?? OctetTotal(r["txOctetStats"])),
                RxFrames = FrameCounts(r["rxFrameStats"]),
                TxFrames = FrameCounts(r["txFrameStats"]),
            },
        };
    }

    private static int LeadingNumber(string caseId) =>
        int.TryParse(caseId.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;

    public static string[] Events(JsonNode? node) => node is JsonArray items ? [.. items.Select(Json.Describe)] : [];

    /// <summary>Autobahn's octet statistics: chunk size → count.</summary>
    private static double OctetTotal(JsonNode? node) =>
        node is JsonObject sizes
            ? sizes.Sum(s => double.TryParse(s.Key, NumberStyles.None, CultureInfo.InvariantCulture, out double size) ? size * (Json.Number(s.Value) ?? 0) : 0)
            : 0;

    private static Dictionary<int, int> FrameCounts(JsonNode? node)
    {
        var counts = new Dictionary<int, int>();
        foreach (var (opcode, count) in node as JsonObject ?? [])
        {
            if (int.TryParse(opcode, NumberStyles.None, CultureInfo.InvariantCulture, out int op) && Json.Number(count) is double n)
            {
                counts[op] = (int)n;
            }
        }

        return counts;
    }

    public static WireEntry[] WireLog(JsonObject record) => record["wirelog"] is JsonArray log ? [.. log.Select(WireLogEntry)] : [];

    private static WireEntry WireLogEntry(JsonNode? node) => node switch
    {
        JsonObject ours => OurEntry(ours),
        JsonArray autobahn => AutobahnWireLog.Entry(autobahn),
        _ => WireEntry.ForNote(double.NaN, WireDirection.Local, Json.Describe(node)),
    };

    private static WireEntry OurEntry(JsonObject entry)
    {
        double time = Json.Number(entry, "t") ?? double.NaN;
        var direction = Json.Text(entry, "dir") switch
        {
            "tx" => WireDirection.Tx,
            "rx" => WireDirection.Rx,
            _ => WireDirection.Local,
        };
        if (entry["frame"] is not JsonObject frame)
        {
            return WireEntry.ForNote(time, direction, Json.Text(entry, "note") ?? "");
        }

        return new WireEntry(time, direction, new WireFrame
        {
            Opcode = Json.Int(frame, "opcode") ?? 0,
            OpcodeName = Json.Text(frame, "opcodeName") ?? "",
            Fin = Json.Bool(frame, "fin"),
            Rsv = Json.Int(frame, "rsv") ?? 0,
            Masked = Json.Bool(frame, "masked"),
            MaskKey = Json.Text(frame, "maskKey"),
            PayloadLength = Json.Long(frame, "payloadLength") ?? 0,
            PayloadText = Json.Text(frame, "payloadText"),
            PayloadHex = Json.Text(frame, "payloadHex") ?? "",
            PayloadCut = Json.Bool(frame, "payloadCut"),
            RawHex = Json.Text(frame, "raw") ?? "",
            Writing = Json.Text(frame, "writing"),
        }, Json.Text(entry, "note"));
    }
}
