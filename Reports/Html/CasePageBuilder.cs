using System.Globalization;
using Conformance.Reports.Model;

namespace Conformance.Reports.Html;

/// <summary>Builds the view model of one case's page.</summary>
internal static class CasePageBuilder
{
    /// <summary>Wire-log rows shown from the start and from the end of a long log; the JSON file has them all.</summary>
    public const int HeadRows = 300;
    public const int TailRows = 100;

    public const int MaxHandshakeLineChars = 2000;
    public const int MaxHandshakeLines = 100;
    public const int MaxEventChars = 1000;
    public const int MaxEvents = 200;
    public const int MaxPayloadTextChars = 200;
    public const int MaxPayloadHexChars = 256;

    private static readonly (string Key, string Meaning)[] ClosingFields =
    [
        ("isServer", "true when the tester was the server and the peer a client"),
        ("closedByMe", "true when the tester started the closing handshake (sent a close frame first)"),
        ("failedByMe", "true when the tester failed the connection (a protocol violation by the peer, or a timer)"),
        ("droppedByMe", "true when the tester closed the TCP connection"),
        ("wasClean", "true when close frames went both ways (and, testing a server, the server then closed TCP)"),
        ("wasNotCleanReason", "why the close was not clean"),
        ("wasServerConnectionDropTimeout", "true when the server did not close TCP in time after the closing handshake"),
        ("wasOpenHandshakeTimeout", "true when the opening handshake did not complete in time"),
        ("wasCloseHandshakeTimeout", "true when the peer did not answer the tester's close frame in time"),
        ("localCloseCode", "the close code the tester sent"),
        ("localCloseReason", "the close reason the tester sent"),
        ("remoteCloseCode", "the close code the peer sent"),
        ("remoteCloseReason", "the close reason the peer sent"),
    ];

    public static CasePage Build(CaseResult result, RunInfo info, string jsonHref)
    {
        var behavior = VerdictStyle.Of(result.Behavior);
        var close = VerdictStyle.Of(result.CloseBehavior);
        string agent = DisplayText.Line(result.Agent, 200);
        string id = DisplayText.Line(result.CaseId, 40);
        return new CasePage
        {
            Title = $"{id} — {agent}",
            Heading = $"{agent} — Case {id}: {behavior.Label} / close {close.Label} — {IndexPageBuilder.Milliseconds(result.DurationMs)} @ {IndexPageBuilder.Time(result.Started)}",
            HeadingClass = VerdictRank.Of(result.CloseBehavior) > VerdictRank.Of(result.Behavior) ? close.Class : behavior.Class,
            Links = [new NavLink(IndexPageBuilder.IndexFile + "#" + IndexPageBuilder.Anchor(result.CaseId), "Back to the matrix"), new NavLink(IndexPageBuilder.FailuresFile, "Failures only"), new NavLink(jsonHref, "This case as JSON")],
            Styles = IndexPageBuilder.Styles,
            Facts = Facts(result),
            Verdicts =
            [
                new VerdictLine("Behaviour", behavior.Label, behavior.Class, DisplayText.Line(result.BehaviorReason, MaxEventChars)),
                new VerdictLine("Close", close.Label, close.Class, DisplayText.Line(result.CloseReason, MaxEventChars)),
            ],
            Expected = [.. result.Expected.Select(e => new EventList(DisplayText.Line(e.Key, 40), Events(e.Value)))],
            ExpectedHandshake = Optional(result.ExpectedHandshake),
            ExpectedClose = Optional(result.ExpectedClose),
            Received = Events(result.Received),
            Closing = Closing(result),
            HttpRequest = DisplayText.Block(result.HttpRequest, MaxHandshakeLineChars, MaxHandshakeLines),
            HttpResponse = DisplayText.Block(result.HttpResponse, MaxHandshakeLineChars, MaxHandshakeLines),
            Stats = Stats(result.Stats),
            WireLog = WireLog(result.WireLog),
            WireLogNote = result.WireLog.Count > HeadRows + TailRows
                ? $"{DisplayText.Count(result.WireLog.Count)} entries; the first {HeadRows} and the last {TailRows} are shown, the JSON file has them all."
                : $"{DisplayText.Count(result.WireLog.Count)} entries.",
            Rerun = RerunCommand(info, result.Agent, result.CaseId),
        };
    }

    /// <summary>A text row shown only when there is text: none for a close a category-15 handshake made irrelevant.</summary>
    private static IReadOnlyList<string> Optional(string text) => text.Length == 0 ? [] : [DisplayText.Line(text, MaxEventChars)];

    /// <summary>The command that runs just this case again against the same target with the same options.</summary>
    public static string RerunCommand(RunInfo info, string agent, string caseId)
    {
        string cases = ShellQuote.IfNeeded(caseId);
        string extra = "";
        if (info.Options.TryGetValue("timeout-scale", out string? scale) && scale != "1")
        {
            extra += " --timeout-scale " + ShellQuote.IfNeeded(scale);
        }

        if (info.Options.TryGetValue("insecure", out string? insecure) && insecure == "true")
        {
            extra += " --insecure";
        }

        if (info.Options.TryGetValue("target", out string? target) && target == "embedded")
        {
            return $"./run.sh --cases {cases}{extra}";
        }

        if (info.Mode == "client")
        {
            // The client connects to the harness: rerun the one case and point the same client at it.
            return $"./run.sh test-client --cases {cases}{extra}";
        }

        string url = info.Targets.TryGetValue(agent, out string? u) && u.Length > 0 ? ShellQuote.IfNeeded(u) : "<url>";
        return $"./run.sh test-server {url} --agent {ShellQuote.Always(agent)} --cases {cases}{extra}";
    }

    private static List<KeyValue> Facts(CaseResult result)
    {
        var facts = new List<KeyValue>
        {
            new("Description", DisplayText.Line(result.Description, 4000)),
            new("Expectation", DisplayText.Line(result.Expectation, 4000)),
            new("RFC section", DisplayText.Line(result.RfcSection, 200)),
            new("Requirement", DisplayText.Line(result.Requirement, 40)),
            new("Category", DisplayText.Line($"{result.Category} {result.CategoryName}", 200)),
        };
        if (result.SubcategoryTitle is { } title)
        {
            facts.Add(new("Subcategory", DisplayText.Line(title, 300)));
        }

        facts.Add(new("Case number", result.CaseIndex.ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("Agent", DisplayText.Line(result.Agent, 1000)));
        return facts;
    }

    private static List<string> Events(IReadOnlyList<string> events)
    {
        var shown = events.Take(MaxEvents).Select(e => DisplayText.Line(e, MaxEventChars)).ToList();
        if (events.Count > MaxEvents)
        {
            shown.Add(DisplayText.CutNote(events.Count, MaxEvents, "events"));
        }

        return shown;
    }

    private static List<ClosingRow> Closing(CaseResult result)
    {
        var c = result.Closing;
        object?[] values =
        [
            result.TesterIsServer, c.ClosedByMe, c.FailedByMe, c.DroppedByMe, c.WasClean, c.WasNotCleanReason, c.WasServerConnectionDropTimeout,
            c.WasOpenHandshakeTimeout, c.WasCloseHandshakeTimeout, c.LocalCloseCode, c.LocalCloseReason, c.RemoteCloseCode, c.RemoteCloseReason,
        ];
        return [.. ClosingFields.Select((field, i) => new ClosingRow(field.Key, Value(values[i]), field.Meaning))];

        static string Value(object? value) => value switch
        {
            null => "null",
            bool b => b ? "true" : "false",
            string s => DisplayText.Line(s, 500),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
    }

    private static List<KeyValue> Stats(WireStats stats) =>
    [
        new("Octets received", DisplayText.Count(stats.RxOctets)),
        new("Octets sent", DisplayText.Count(stats.TxOctets)),
        new("Frames received by opcode", FrameCounts(stats.RxFrames)),
        new("Frames sent by opcode", FrameCounts(stats.TxFrames)),
    ];

    private static string FrameCounts(IReadOnlyDictionary<int, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}: {DisplayText.Count(c.Value)}")) + $" (total {DisplayText.Count(counts.Values.Sum(v => (long)v))})";

    private static List<WireRow> WireLog(IReadOnlyList<WireEntry> log)
    {
        var rows = new List<WireRow>(Math.Min(log.Count, HeadRows + TailRows + 1));
        bool cut = log.Count > HeadRows + TailRows;
        for (int i = 0; i < log.Count; i++)
        {
            if (cut && i == HeadRows)
            {
                rows.Add(new WireRow("…", "", "", "local", [], [$"{DisplayText.Count(log.Count - HeadRows - TailRows)} entries not shown (entries {HeadRows + 1}–{log.Count - TailRows}); see the JSON file"]));
                i = log.Count - TailRows;
            }

            rows.Add(Row(i + 1, log[i]));
        }

        return rows;
    }

    private static WireRow Row(int number, WireEntry entry)
    {
        var (direction, cssClass) = entry.Direction switch
        {
            WireDirection.Tx => ("TX", "tx"),
            WireDirection.Rx => ("RX", "rx"),
            _ => ("", "local"),
        };
        string time = double.IsFinite(entry.TimeMs) ? entry.TimeMs.ToString("0.000", CultureInfo.InvariantCulture) : "";
        string? note = entry.Note is { } n ? DisplayText.Line(n, MaxEventChars) : null;
        return entry.Frame is { } frame
            ? new WireRow(number.ToString("000", CultureInfo.InvariantCulture), time, direction, cssClass, [Frame(frame, note)], [])
            : new WireRow(number.ToString("000", CultureInfo.InvariantCulture), time, direction, cssClass, [], [note ?? ""]);
    }

    /// <summary>The payload as text; a close frame's as its code and reason.</summary>
    private static string PayloadText(WireFrame frame)
    {
        if (frame.Opcode == 8 && frame.PayloadHex.Length >= 4 && int.TryParse(frame.PayloadHex[..4], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
        {
            string reason = "";
            try
            {
                reason = System.Text.Encoding.UTF8.GetString(Convert.FromHexString(frame.PayloadHex[4..(frame.PayloadHex.Length & ~1)]));
            }
            catch (FormatException)
            {
            }

            return DisplayText.Line(reason.Length == 0 ? $"close code {code}" : $"close code {code}, reason: {reason}", MaxPayloadTextChars);
        }

        return frame.PayloadText is { } text ? DisplayText.Line(text, MaxPayloadTextChars) : frame.PayloadLength == 0 ? "" : "(not valid UTF-8, see hex)";
    }

    /// <summary>The frame's cells; notes under the hex say how much of the payload is shown and how an unusual frame was written.</summary>
    private static WireFrameCells Frame(WireFrame frame, string? note)
    {
        string hex = frame.PayloadHex.Length > MaxPayloadHexChars ? frame.PayloadHex[..MaxPayloadHexChars] : frame.PayloadHex;
        long shown = hex.Length / 2;
        var cutNote = new List<string>(2);
        if (frame.PayloadCut || shown < frame.PayloadLength)
        {
            cutNote.Add($"{DisplayText.Count(shown)} of {DisplayText.Count(frame.PayloadLength)} octets shown");
        }

        if (frame.Writing is { } writing && writing != "whole")
        {
            cutNote.Add("written: " + DisplayText.Line(writing, 100));
        }

        if (note is not null)
        {
            cutNote.Add(note);
        }

        return new WireFrameCells(
            frame.Fin ? "1" : "0",
            frame.Rsv.ToString(CultureInfo.InvariantCulture),
            DisplayText.Line($"{frame.Opcode} {frame.OpcodeName}", 40),
            frame.Masked ? DisplayText.Line(frame.MaskKey ?? "yes", 16) : "",
            DisplayText.Count(frame.PayloadLength),
            PayloadText(frame),
            DisplayText.Line(hex, MaxPayloadHexChars),
            cutNote);
    }
}
