using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;

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
            Received = Events(r["received"]),
            HttpRequest = Json.Text(r, "httpRequest") ?? "",
            HttpResponse = Json.Text(r, "httpResponse") ?? "",
            WireLog = r["wirelog"] is JsonArray log ? [.. log.Select(WireLogEntry)] : [],
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

    private static string[] Events(JsonNode? node) => node is JsonArray items ? [.. items.Select(Json.Describe)] : [];

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
            PayloadLength = (long)(Json.Number(frame, "payloadLength") ?? 0),
            PayloadText = Json.Text(frame, "payloadText"),
            PayloadHex = Json.Text(frame, "payloadHex") ?? "",
            PayloadCut = Json.Bool(frame, "payloadCut"),
            RawHex = Json.Text(frame, "raw") ?? "",
            Writing = Json.Text(frame, "writing"),
        }, Json.Text(entry, "note"));
    }
}

/// <summary>Autobahn's positional wire-log entries (spec §2.6): RO/TO octets, RF/TF frames, timers. It records no times.</summary>
internal static class AutobahnWireLog
{
    private const string Cut = " ...";

    public static WireEntry Entry(JsonArray entry)
    {
        string tag = entry.Count > 0 ? Json.Describe(entry[0]) : "";
        JsonNode? At(int i) => i < entry.Count ? entry[i] : null;
        string Text(int i) => Json.Describe(At(i));
        return tag switch
        {
            "RO" => Octets(WireDirection.Rx, "octets received", At(1)),
            "TO" => Octets(WireDirection.Tx, "octets sent", At(1)),
            "RF" => Frame(WireDirection.Rx, At(1), At(2), At(3), At(4), masked: At(5) is JsonValue m && m.TryGetValue(out bool b) && b, mask: At(6), repeat: null),
            "TF" => Frame(WireDirection.Tx, At(1), At(2), At(3), At(4), masked: At(5) is JsonValue, mask: At(5), repeat: At(6)),
            "CT" => Note($"pause {Text(1)} s armed ({Text(2)})"),
            "CTE" => Note($"pause over ({Text(1)})"),
            "KL" => Note($"fail the connection after {Text(1)} s"),
            "KLE" => Note("failing the connection"),
            "TI" => Note($"close the connection after {Text(1)} s"),
            "TIE" => Note("closing the connection"),
            "WLM" => Note(At(1) is JsonValue on && on.TryGetValue(out bool enabled) && enabled ? "wire log switched on" : "wire log switched off"),
            _ => Note(entry.ToJsonString()),
        };
    }

    private static WireEntry Note(string text) => WireEntry.ForNote(double.NaN, WireDirection.Local, text);

    private static WireEntry Octets(WireDirection direction, string what, JsonNode? data)
    {
        string length = data is JsonArray pair && pair.Count > 0 ? Json.Describe(pair[0]) : "?";
        string hex = data is JsonArray p && p.Count > 1 ? Json.Describe(p[1]) : "";
        return WireEntry.ForNote(double.NaN, direction, $"{length} {what}: {hex}");
    }

    private static WireEntry Frame(WireDirection direction, JsonNode? payload, JsonNode? opcode, JsonNode? fin, JsonNode? rsv, bool masked, JsonNode? mask, JsonNode? repeat)
    {
        var pair = payload as JsonArray ?? [];
        double length = Json.Number(repeat) ?? (pair.Count > 0 ? Json.Number(pair[0]) : null) ?? 0;
        string text = pair.Count > 1 ? Json.Describe(pair[1]) : "";
        bool cut = text.EndsWith(Cut, StringComparison.Ordinal);
        if (cut)
        {
            text = text[..^Cut.Length];
        }

        bool binary = text.StartsWith("0x", StringComparison.Ordinal) && text.Length % 2 == 0 && text[2..].All(char.IsAsciiHexDigit);
        string hex = binary ? text[2..].ToLowerInvariant() : Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));
        int op = (int)(Json.Number(opcode) ?? 0);
        return new WireEntry(double.NaN, direction, new WireFrame
        {
            Opcode = op,
            OpcodeName = op switch { 0 => "CONT", 1 => "TEXT", 2 => "BINARY", 8 => "CLOSE", 9 => "PING", 10 => "PONG", _ => "RESERVED" },
            Fin = fin is JsonValue f && f.TryGetValue(out bool isFin) && isFin,
            Rsv = (int)(Json.Number(rsv) ?? 0),
            Masked = masked,
            MaskKey = mask is JsonValue k && k.TryGetValue(out string? key) ? key : null,
            PayloadLength = (long)length,
            PayloadText = binary ? null : text,
            PayloadHex = hex,
            PayloadCut = cut || hex.Length / 2 < length,
            RawHex = "",
        }, null);
    }
}
