using System.Globalization;
using Conformance.Reports.Gating;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Html;

/// <summary>Builds the view models of index.html (every selected case) and failures.html (only cases that did not pass).</summary>
internal sealed class IndexPageBuilder(ReportData data, GateResult gate)
{
    public const string IndexFile = "index.html";
    public const string FailuresFile = "failures.html";

    private static readonly GatePolicy StrictVerdicts = new() { Strict = true };

    public static IReadOnlyList<StyleRule> Styles { get; } =
        [.. VerdictStyle.BehaviorStyles.Concat(VerdictStyle.CloseStyles).Select(s => new StyleRule(s.Class, s.Background, s.Foreground))];

    public IndexPage Index() => Page(
        "wsconf report",
        $"{data.Rows.Count} selected case(s) × {data.Agents.Count} agent(s). Every cell links to the case's page; the failures view lists only the cases that did not pass.",
        data.Rows,
        []);

    /// <summary>Rows where some agent has no result or a verdict that fails the strict gate (FAILED, NON-STRICT, WRONG CODE, UNCLEAN).</summary>
    public IndexPage Failures()
    {
        var rows = data.Rows.Where(row => data.Agents.Any(agent => NotPassed(data.Find(agent, row.Id)))).ToList();
        var findings = rows.SelectMany(row => data.Agents.Select(agent => Finding(agent, row))).OfType<FindingRow>().ToList();
        return Page(
            "wsconf report: cases not passed",
            $"{rows.Count} of {data.Rows.Count} case(s) have, for some agent, a verdict other than Pass/Info/Unimplemented with close OK/Info/FAILED BY CLIENT, or no result.",
            rows,
            findings);
    }

    private static bool NotPassed(CaseResult? result) => result is null || StrictVerdicts.Failure(result) is not null;

    private IndexPage Page(string title, string intro, IReadOnlyList<CatalogueEntry> rows, IReadOnlyList<FindingRow> findings) => new()
    {
        Title = title,
        Intro = intro,
        Views = [new NavLink(IndexFile, "All cases"), new NavLink(FailuresFile, "Failures only")],
        Meta = Meta(),
        Targets = [.. data.Agents.Select(agent => new KeyValue(DisplayText.Line(agent, 200), DisplayText.Line(data.Run.Info.Targets.GetValueOrDefault(agent) ?? "(unknown)", 500)))],
        Options = [.. data.Run.Info.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => new KeyValue(DisplayText.Line(o.Key, 100), DisplayText.Line(o.Value, 500)))],
        Styles = Styles,
        Legend = [.. VerdictStyle.BehaviorStyles.Zip(VerdictStyle.CloseStyles, (b, c) => new LegendRow(Legend(b), Legend(c)))],
        Summaries = [.. data.Agents.Select(Summary)],
        Groups = Groups(rows),
        EmptyNote = rows.Count == 0 ? ["No case to show."] : [],
        Findings = findings,
    };

    private static LegendItem Legend(VerdictStyle style) => new(style.Class, style.Text, style.Label, style.Meaning);

    private List<KeyValue> Meta()
    {
        var info = data.Run.Info;
        var meta = new List<KeyValue>
        {
            new("Harness version", DisplayText.Line(info.HarnessVersion, 100)),
            new("Catalogue version", DisplayText.Line(info.CatalogueVersion, 100)),
            new("Mode", info.Mode == "client" ? "testing clients (the harness is the server)" : "testing servers (the harness is the client)"),
            new("Started", Time(info.Started)),
        };
        if (info.Finished is { } finished)
        {
            meta.Add(new("Finished", Time(finished)));
            meta.Add(new("Total time", $"{(finished - info.Started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"));
        }

        meta.Add(new("Exit status", gate.Describe()));
        if (info.CommandLine is { Length: > 0 } commandLine)
        {
            meta.Add(new("Command line", DisplayText.Line(commandLine, 2000)));
        }

        return meta;
    }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private AgentSummary Summary(string agent)
    {
        var columns = new (string Key, string Header, VerdictStyle Style)[]
        {
            ("OK", "Pass", VerdictStyle.Pass), ("NON-STRICT", "Non-Strict", VerdictStyle.NonStrict), ("INFORMATIONAL", "Info", VerdictStyle.Info),
            ("UNIMPLEMENTED", "Unimpl.", VerdictStyle.Unimplemented), ("FAILED", "Fail", VerdictStyle.Fail), ("MISSING", "Missing", VerdictStyle.Missing),
            ("close OK", "OK", VerdictStyle.CloseOk), ("close FAILED BY CLIENT", "By client", VerdictStyle.CloseFailedByClient), ("close WRONG CODE", "Wrong code", VerdictStyle.CloseWrongCode),
            ("close UNCLEAN", "Unclean", VerdictStyle.CloseUnclean), ("close INFORMATIONAL", "Info", VerdictStyle.CloseInfo), ("close FAILED", "Fail", VerdictStyle.CloseFail),
        };
        var total = new Tally();
        var rows = new List<SummaryRow>();
        foreach (var category in data.Rows.GroupBy(r => r.Category).OrderBy(g => g.Key))
        {
            var tally = new Tally();
            foreach (var row in category)
            {
                tally.Add(data.Find(agent, row.Id));
                total.Add(data.Find(agent, row.Id));
            }

            rows.Add(Row(category.Key.ToString(CultureInfo.InvariantCulture), DisplayText.Line(category.First().CategoryName, 80), tally));
        }

        return new AgentSummary(
            DisplayText.Line(agent, 200),
            [.. columns.Select(c => new SummaryCell(c.Header, c.Style.Class))],
            rows,
            [Row("", "Total", total)]);

        SummaryRow Row(string number, string name, Tally tally) => new(
            number,
            name,
            [new SummaryCell(tally.Cases.ToString(CultureInfo.InvariantCulture), ""), .. columns.Select(c => new SummaryCell(tally[c.Key].ToString(CultureInfo.InvariantCulture), tally[c.Key] > 0 ? c.Style.Class : "zero"))],
            (tally.Milliseconds / 1000).ToString("0.0", CultureInfo.InvariantCulture));
    }

    private List<MatrixGroup> Groups(IReadOnlyList<CatalogueEntry> rows)
    {
        var agents = data.Agents.Select(a => DisplayText.Line(a, 60)).ToList();
        int span = 1 + 2 * agents.Count;
        var groups = new List<MatrixGroup>();
        foreach (var category in rows.GroupBy(r => r.Category))
        {
            var sections = new List<(string? Title, List<MatrixRow> Rows)>();
            foreach (var row in category)
            {
                if (sections.Count == 0 || row.SubcategoryTitle != sections[^1].Title)
                {
                    sections.Add((row.SubcategoryTitle, []));
                }

                sections[^1].Rows.Add(Row(row));
            }

            string number = category.Key.ToString(CultureInfo.InvariantCulture);
            groups.Add(new MatrixGroup(DisplayText.Line($"{number} {category.First().CategoryName}", 100), "cat-" + number, agents,
                [.. sections.Select(s => new MatrixSection(s.Title is null ? [] : [DisplayText.Line(SectionTitle(s.Rows[0].Id, s.Title), 300)], span, s.Rows))]));
        }

        return groups;
    }

    /// <summary>"6.4 Fail-fast on invalid UTF-8" for case 6.4.1; just the title for two-part IDs.</summary>
    private static string SectionTitle(string firstId, string title)
    {
        var parts = firstId.Split('.');
        return parts.Length >= 3 ? $"{parts[0]}.{parts[1]} {title}" : title;
    }

    private MatrixRow Row(CatalogueEntry row)
    {
        var cells = new List<MatrixCell>();
        foreach (string agent in data.Agents)
        {
            var result = data.Find(agent, row.Id);
            if (result is null)
            {
                cells.Add(new MatrixCell(VerdictStyle.Missing.Class, 2, VerdictStyle.Missing.Text, "#" + Anchor(row.Id), "no result"));
                continue;
            }

            string href = CasePageBuilder.FileName(agent, row.Id);
            var behavior = VerdictStyle.Of(result.Behavior);
            string tooltip = DisplayText.Line($"{result.Behavior.Label()} / {result.CloseBehavior.Label()}, {Milliseconds(result.DurationMs)}: {result.BehaviorReason}", 300);
            if (result.Behavior == Behavior.Unimplemented)
            {
                cells.Add(new MatrixCell(behavior.Class, 2, behavior.Text, href, tooltip));
                continue;
            }

            var close = VerdictStyle.Of(result.CloseBehavior);
            cells.Add(new MatrixCell(behavior.Class, 1, behavior.Text, href, tooltip));
            cells.Add(new MatrixCell(close.Class, 1, VerdictStyle.CloseCellText(result), href, DisplayText.Line($"close {result.CloseBehavior.Label()}: {result.CloseReason}", 300)));
        }

        return new MatrixRow(DisplayText.Line(row.Id, 40), Anchor(row.Id), DisplayText.Line(row.Description, 400), cells);
    }

    public static string Anchor(string caseId) => "case-" + CasePageBuilder.SafeName(caseId);

    public static string Milliseconds(double ms) => double.IsFinite(ms) ? $"{ms.ToString("0", CultureInfo.InvariantCulture)} ms" : "? ms";

    private FindingRow? Finding(string agent, CatalogueEntry row)
    {
        var result = data.Find(agent, row.Id);
        if (!NotPassed(result))
        {
            return null;
        }

        if (result is null)
        {
            return new FindingRow(DisplayText.Line(agent, 100), DisplayText.Line(row.Id, 40), "#" + Anchor(row.Id), VerdictStyle.Missing.Label, VerdictStyle.Missing.Class, "", "", "fails", ["not run"]);
        }

        var behavior = VerdictStyle.Of(result.Behavior);
        var close = VerdictStyle.Of(result.CloseBehavior);
        var reasons = new List<string>();
        if (result.Behavior != Behavior.Ok)
        {
            reasons.Add(DisplayText.Line(result.BehaviorReason, 1000));
        }

        if (result.CloseBehavior != CloseBehavior.Ok)
        {
            reasons.Add("close: " + DisplayText.Line(result.CloseReason, 1000));
        }

        return new FindingRow(DisplayText.Line(agent, 100), DisplayText.Line(row.Id, 40), CasePageBuilder.FileName(agent, row.Id),
            behavior.Label, behavior.Class, close.Label, close.Class, gate.FailureOf(agent, row.Id) is null ? "passes" : "fails", reasons);
    }
}
