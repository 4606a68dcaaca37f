using System.Globalization;
using Conformance.Reports.Model;

namespace Conformance.Reports.Html;

/// <summary>
/// The view model of a fuzzing campaign (<see cref="CampaignResult"/>): the figures, each finding with its
/// links (the minimal and the original case page, the finding file, the Python reproduction) and its minimal
/// script, the coverage grid and the counts. Every text from the run goes through <see cref="DisplayText"/>.
/// </summary>
internal static class CampaignSectionBuilder
{
    public const string FindingsFolder = "findings";

    private const int MaxReasonChars = 1000;
    private const int MaxScriptLineChars = 500;

    public static CampaignSection Build(CampaignResult campaign, ReportFileNames names) => new(
        Figures(campaign),
        Warnings(campaign),
        [.. campaign.Findings.Select(f => Finding(f, names))],
        campaign.Findings.Count == 0 ? ["No finding: every generated case passed, or failed in a way the rerun did not reproduce."] : [],
        Coverage(campaign.Coverage),
        [.. campaign.Verdicts.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => new KeyValue(DisplayText.Line(v.Key, 100), Count(v.Value)))],
        [.. campaign.NotPassedByViolation.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => new KeyValue(DisplayText.Line(v.Key, 100), Count(v.Value)))],
        [.. campaign.Shards.OrderBy(s => s.Shard).Select(s => new ShardRow(
            $"{s.Shard}/{campaign.ShardCount}", Count(s.CasesRun), Seconds(s.ElapsedSeconds), Rate(s.CasesRun / Math.Max(0.001, s.ElapsedSeconds)), s.Interrupted ? "interrupted (Ctrl+C)" : ""))]);

    public static string Anchor(string caseId) => "finding-" + ReportNames.Safe(caseId);

    private static List<KeyValue> Figures(CampaignResult c)
    {
        string shards = c.ShardCount == 1 ? "one (the whole campaign)"
            : c.Shards.Count == 1 ? $"{c.Shards[0].Shard} of {c.ShardCount}"
            : $"{string.Join(", ", c.Shards.Select(s => s.Shard).Order())} of {c.ShardCount} (merged)";
        var figures = new List<KeyValue>
        {
            new("Seed", DisplayText.Line(c.Seed, 40) + $" (generator v{c.GeneratorVersion}; replay with --seed {DisplayText.Line(c.Seed, 40)})"),
            new("Shards", shards),
            new("Campaign size", c.Count is { } count ? $"{Count(count)} case(s), all shards together" : $"{Seconds(c.DurationSeconds ?? 0)} s per shard"),
            new("Cases run", $"{Count(c.CasesRun)} ({Count(c.CasesValid)} without a violation)"),
            new("Cases per second", $"{Rate(c.CasesPerSecond)} ({Count(c.CasesRun)} cases in {Seconds(c.ElapsedSeconds)} s of campaign time" + (c.Shards.Count > 1 ? ", summed over the shards)" : ")")),
            new("Not passed", $"{Count(c.NotPassed)} case(s); {Count(c.NotReproduced)} not reproduced on rerun (not kept)"),
            new("Findings written", Count(c.Findings.Count)),
            new("Coverage", $"{c.Coverage.Hit} of {c.Coverage.Possible} cells of frame kind × receiver state × violation class"),
        };
        if (c.Parallel > 0)
        {
            figures.Add(new("Parallel", c.Parallel.ToString(CultureInfo.InvariantCulture) + (c.TimeoutScale != 1 ? $"; timers × {c.TimeoutScale.ToString(CultureInfo.InvariantCulture)}" : "")));
        }

        return figures;
    }

    private static List<string> Warnings(CampaignResult c)
    {
        var warnings = new List<string>();
        if (c.MissingShards.Count > 0)
        {
            warnings.Add($"Shard(s) {string.Join(", ", c.MissingShards)} of {c.ShardCount} are missing: these figures cover {c.Shards.Count} of the campaign's {c.ShardCount} parts.");
        }

        if (c.Interrupted)
        {
            warnings.Add("Interrupted (Ctrl+C): the figures cover the cases that ran.");
        }

        return warnings;
    }

    private static CampaignFindingView Finding(CampaignFinding f, ReportFileNames names)
    {
        var behavior = VerdictStyle.BehaviorStyles.FirstOrDefault(s => s.Label == f.Behavior) ?? VerdictStyle.Fail;
        var close = VerdictStyle.CloseStyles.FirstOrDefault(s => s.Label == f.Close) ?? VerdictStyle.CloseFail;
        var reasons = new List<string>();
        if (f.BehaviorReason.Length > 0)
        {
            reasons.Add(DisplayText.Line(f.BehaviorReason, MaxReasonChars));
        }

        if (f.CloseReason.Length > 0)
        {
            reasons.Add("close: " + DisplayText.Line(f.CloseReason, MaxReasonChars));
        }

        string stem = Uri.EscapeDataString(f.FileStem);
        var links = new List<NavLink>
        {
            new(Uri.EscapeDataString(names.CaseFile(f.Agent, f.CaseId, "html")), "minimal case"),
            new(Uri.EscapeDataString(names.CaseFile(f.Agent, f.OriginalCaseId, "html")), "case as generated"),
            new($"{FindingsFolder}/{stem}.json", "finding file"),
        };
        if (f.HasReproduction)
        {
            links.Add(new($"{FindingsFolder}/{stem}.py", "Python reproduction"));
        }

        string shrink = f.Shrunk
            ? $"{f.OriginalActions} action(s) shrunk to {f.MinimalActions} in {f.ShrinkRuns} rerun(s)."
            : $"{f.MinimalActions} action(s), kept as generated (a finding of the same signature was shrunk).";
        return new CampaignFindingView(Anchor(f.CaseId), DisplayText.Line(f.CaseId, 40), links[0].Href, DisplayText.Line(f.Agent, 100), behavior.Label, behavior.Class, close.Label, close.Class,
            reasons, shrink, DisplayText.Line(f.Signature, 300), links, [.. f.Script.Select(line => DisplayText.Line(line, MaxScriptLineChars))]);
    }

    private static CoverageTable Coverage(CoverageGrid grid)
    {
        var rows = grid.Kinds.SelectMany(kind => grid.States.Select(state => new CoverageRow(
            $"{DisplayText.Line(kind, 40)} / {DisplayText.Line(state, 40)}",
            [.. grid.Violations.Select(v => grid[kind, state, v] is var n and > 0 ? new SummaryCell(Count(n), "hit") : new SummaryCell("·", "miss"))]))).ToList();
        return new CoverageTable($"{grid.Hit} of {grid.Possible} cells hit; a number is the count of generated cases that put a frame of that kind, in that state, with that violation (None: a valid frame).",
            [.. grid.Violations.Select(v => Words(DisplayText.Line(v, 40)))], rows);
    }

    /// <summary>"ControlFragmented" as "Control Fragmented", so a narrow column header wraps between words.</summary>
    private static string Words(string name) => System.Text.RegularExpressions.Regex.Replace(name, "(?<=[a-z0-9])(?=[A-Z])", " ");

    private static string Count(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Seconds(double s) => s.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Rate(double r) => r.ToString("0.0", CultureInfo.InvariantCulture);
}
