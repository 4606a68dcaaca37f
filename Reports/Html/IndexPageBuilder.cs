using System.Globalization;
using Conformance.Reports.Charts;
using Conformance.Reports.Gating;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Html;

/// <summary>Builds the view models of index.html (every selected case), failures.html (only cases that did not pass) and performance.html.</summary>
internal sealed class IndexPageBuilder(ReportData data, GateResult gate, ReportFileNames names, bool hasPerformance)
{
    public const string IndexFile = "index.html";
    public const string FailuresFile = "failures.html";
    public const string PerformanceFile = "performance.html";
    public const string CampaignFile = "fuzz.html";

    /// <summary>Up to this many agents the matrix has a column pair per agent; beyond, it counts verdicts per case.</summary>
    public const int MaxMatrixAgents = 8;

    /// <summary>Agents with their own counts table and picture; a larger run shows them together.</summary>
    public const int MaxSummaryAgents = 4;

    public const int MaxTargetsListed = 20;

    public const int MaxFindings = 1000;

    private static readonly GatePolicy StrictVerdicts = new() { Strict = true };

    private readonly SummaryBuilder _summaries = new(data);

    public static IReadOnlyList<StyleRule> Styles { get; } =
        [.. VerdictStyle.BehaviorStyles.Concat(VerdictStyle.CloseStyles).Select(s => new StyleRule(s.Class, s.Background, s.Foreground))];

    private bool Compact => data.Agents.Count > MaxMatrixAgents;

    /// <summary>Whether a result gets its own page: always, except the passes of a run too large for a full matrix.</summary>
    public bool HasCasePage(CaseResult result) => !Compact || NotPassed(result);

    public IndexPage Index()
    {
        bool together = data.Agents.Count > MaxSummaryAgents;
        var groups = new List<IReadOnlyList<string>>(together ? [data.Agents] : data.Agents.Select(a => (IReadOnlyList<string>)[a]));
        string Title(IReadOnlyList<string> agents) => agents.Count == 1 ? agents[0] : $"All {agents.Count} agents";
        return Page(
            "wsconf report",
            $"{data.Rows.Count} selected case(s) × {data.Agents.Count} agent(s). " + (Compact
                ? $"With more than {MaxMatrixAgents} agents the matrix counts each case's verdicts over all agents and only cases that did not pass have their own page; the failures view lists them."
                : "Every cell links to the case's page; the failures view lists only the cases that did not pass."),
            data.Rows,
            []) with
        {
            Summaries = [.. groups.Select(agents => _summaries.Summary(Title(agents), agents))],
            Charts = [.. groups.Select(agents => _summaries.Chart(Title(agents), agents))],
            Campaign = data.Run.Campaign is { } campaign ? [CampaignSectionBuilder.Build(campaign, names)] : [],
        };
    }

    public CampaignPage Campaign(CampaignResult campaign) => new()
    {
        Title = "wsconf fuzzing campaign",
        Views = Views(),
        Styles = Styles,
        Campaign = [CampaignSectionBuilder.Build(campaign, names)],
    };

    /// <summary>Rows where some agent has no result or a verdict that fails the strict gate (FAILED, NON-STRICT, WRONG CODE, UNCLEAN).</summary>
    public IndexPage Failures()
    {
        var rows = data.Rows.Where(row => data.Agents.Any(agent => NotPassed(data.Find(agent, row.Id)))).ToList();
        var findings = rows.SelectMany(row => data.Agents.Select(agent => Finding(agent, row))).OfType<FindingRow>().ToList();
        string cut = findings.Count > MaxFindings ? $" The first {MaxFindings} of {findings.Count} findings are listed; index.json and the JSON files have them all." : "";
        return Page(
            "wsconf report: cases not passed",
            $"{rows.Count} of {data.Rows.Count} case(s) have, for some agent, a verdict other than Pass/Info/Unimplemented with close OK/Info/FAILED BY CLIENT, or no result.{cut}",
            rows,
            [.. findings.Take(MaxFindings)]);
    }

    public PerformancePage Performance(IReadOnlyList<Figure> figures) => new()
    {
        Title = "wsconf report: performance",
        Intro = "Categories 9, 12 and 13 as pictures. Hover a point for its case and value; the case's page has the wire log.",
        Views = Views(),
        Styles = Styles,
        Figures = figures,
    };

    private static bool NotPassed(CaseResult? result) => result is null || StrictVerdicts.Failure(result) is not null;

    private IReadOnlyList<NavLink> Views() =>
    [
        new NavLink(IndexFile, "All cases"), new NavLink(FailuresFile, "Failures only"),
        .. hasPerformance ? [new NavLink(PerformanceFile, "Performance")] : Array.Empty<NavLink>(),
        .. data.Run.Campaign is null ? Array.Empty<NavLink>() : [new NavLink(CampaignFile, "Fuzzing campaign")],
    ];

    private IndexPage Page(string title, string intro, IReadOnlyList<CatalogueEntry> rows, IReadOnlyList<FindingRow> findings) => new()
    {
        Title = title,
        Intro = intro,
        Views = Views(),
        Meta = Meta(),
        Targets = Targets(),
        Options = [.. data.Run.Info.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => new KeyValue(DisplayText.Line(o.Key, 100), DisplayText.Line(o.Value, 500)))],
        Styles = Styles,
        Legend = [.. VerdictStyle.BehaviorStyles.Zip(VerdictStyle.CloseStyles, (b, c) => new LegendRow(Legend(b), Legend(c)))],
        Summaries = [],
        Charts = [],
        Groups = new MatrixBuilder(data, names, Compact).Groups(rows),
        EmptyNote = rows.Count == 0 ? ["No case to show."] : [],
        Findings = findings,
    };

    private List<KeyValue> Targets()
    {
        var targets = data.Agents.Take(MaxTargetsListed)
            .Select(agent => new KeyValue(DisplayText.Line(agent, 200), DisplayText.Line(data.Run.Info.Targets.GetValueOrDefault(agent) ?? "(unknown)", 500))).ToList();
        if (data.Agents.Count > MaxTargetsListed)
        {
            targets.Add(new KeyValue("…", $"and {data.Agents.Count - MaxTargetsListed} more agent(s); wsconf-run.json lists them all"));
        }

        return targets;
    }

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

    public static string Anchor(string caseId) => "case-" + ReportNames.Safe(caseId);

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

        return new FindingRow(DisplayText.Line(agent, 100), DisplayText.Line(row.Id, 40), names.CaseFile(agent, row.Id, "html"),
            behavior.Label, behavior.Class, close.Label, close.Class, gate.FailureOf(agent, row.Id) is null ? "passes" : "fails", reasons);
    }
}
