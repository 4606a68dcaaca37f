using System.Globalization;
using System.Text;
using Conformance.Reports.Gating;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Output;

namespace Conformance.Reports.Writers;

/// <summary>
/// A short GitHub-flavoured Markdown summary for a pull-request comment: the gate's outcome, counts per category
/// and the cases that failed. Text from a target (agent names, reasons) is put in code spans, so it can neither
/// format the comment, nor embed HTML or links, nor mention anyone.
/// </summary>
public sealed class MarkdownSummaryWriter(string fileName = MarkdownSummaryWriter.DefaultFileName) : IReportWriter
{
    public const string DefaultFileName = "summary.md";

    public const int MaxListedCases = 50;

    /// <summary>The summary, linking to index.html relative to the summary's own folder.</summary>
    public IEnumerable<ReportFile> Files(ReportContext context)
    {
        string link = Path.GetRelativePath(Path.GetDirectoryName(context.PathOf(fileName))!, context.PathOf(Html.IndexPageBuilder.IndexFile));
        return [ReportFile.Bytes(fileName, System.Text.Encoding.UTF8.GetBytes(Render(context.Run, context.Gate, link)))];
    }

    public string Render(RunResult run, GateResult gate, string? reportLink = null)
    {
        var data = new ReportData(run);
        var md = new StringBuilder();
        var info = run.Info;
        md.Append(CultureInfo.InvariantCulture, $"## wsconf: {(gate.ExitCode == 0 ? "passed" : "FAILED")} (exit {gate.ExitCode})\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Gate: {gate.Policy.Describe()}. {data.Rows.Count} case(s) × {data.Agents.Count} agent(s); harness {Plain(info.HarnessVersion, 40)}, catalogue {Plain(info.CatalogueVersion, 40)}");
        if (info.Finished is { } finished)
        {
            md.Append(CultureInfo.InvariantCulture, $", {(finished - info.Started).TotalSeconds:0.0} s");
        }

        md.Append(".\n");
        foreach (string agent in data.Agents)
        {
            Counts(md, data, agent);
        }

        Cases(md, $"Failing the gate ({gate.Failures.Count})", gate.Failures, data);
        Cases(md, $"Better than the baseline ({gate.BetterThanBaseline.Count}): tighten it", gate.BetterThanBaseline, data);
        Cases(md, $"Not run ({gate.Missing.Count})", gate.Missing, data);
        if (reportLink is not null)
        {
            md.Append(CultureInfo.InvariantCulture, $"\nFull report: {Code(reportLink, 300)}\n");
        }

        return md.ToString();
    }

    private static void Counts(StringBuilder md, ReportData data, string agent)
    {
        md.Append(CultureInfo.InvariantCulture, $"\n### {Code(agent, 100)}\n\n");
        md.Append("| Cat. | Category | Cases | Pass | Non-Strict | Info | Unimpl. | Fail | Missing | Bad close | Time (s) |\n");
        md.Append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        var total = new Tally();
        foreach (var category in data.Rows.GroupBy(r => r.Category).OrderBy(g => g.Key))
        {
            var tally = new Tally();
            foreach (var row in category)
            {
                tally.Add(data.Find(agent, row.Id));
                total.Add(data.Find(agent, row.Id));
            }

            Row(md, category.Key.ToString(CultureInfo.InvariantCulture), Plain(category.First().CategoryName, 60), tally);
        }

        Row(md, "", "**Total**", total);
    }

    private static void Row(StringBuilder md, string number, string name, Tally t)
    {
        int badClose = t["close FAILED"] + t["close UNCLEAN"] + t["close WRONG CODE"];
        md.Append(CultureInfo.InvariantCulture,
            $"| {number} | {name} | {t.Cases} | {t["OK"]} | {t["NON-STRICT"]} | {t["INFORMATIONAL"]} | {t["UNIMPLEMENTED"]} | {t["FAILED"]} | {t["MISSING"]} | {badClose} | {t.Milliseconds / 1000:0.0} |\n");
    }

    private static void Cases(StringBuilder md, string title, IReadOnlyList<GateFinding> findings, ReportData data)
    {
        if (findings.Count == 0)
        {
            return;
        }

        md.Append(CultureInfo.InvariantCulture, $"\n### {title}\n\n| Agent | Case | Verdicts | Why |\n|---|---|---|---|\n");
        foreach (var finding in findings.Take(MaxListedCases))
        {
            var result = data.Find(finding.Agent, finding.CaseId);
            string verdicts = result is null ? "not run" : $"{result.Behavior.Label()} / {result.CloseBehavior.Label()}";
            md.Append(CultureInfo.InvariantCulture, $"| {Code(finding.Agent, 60)} | {Code(finding.CaseId, 20)} | {verdicts} | {Code(finding.Why, 300)} |\n");
        }

        if (findings.Count > MaxListedCases)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n… and {findings.Count - MaxListedCases} more.\n");
        }
    }

    /// <summary>Text that should read as prose: one line, every character Markdown or HTML would interpret escaped, @ too (no mentions).</summary>
    internal static string Plain(string? text, int maxChars)
    {
        var escaped = new StringBuilder();
        foreach (char c in DisplayText.Line(text, maxChars))
        {
            escaped.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '@' => "&#64;",
                _ when "\\`*_[]|#!~".Contains(c) => "\\" + c,
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    /// <summary>Untrusted text as an inline code span: one line, control characters visible, cut, table pipes escaped.</summary>
    internal static string Code(string? text, int maxChars)
    {
        string line = DisplayText.Line(text, maxChars);
        if (line.Length == 0)
        {
            return "";
        }

        int longestRun = 0, run = 0;
        foreach (char c in line)
        {
            run = c == '`' ? run + 1 : 0;
            longestRun = Math.Max(longestRun, run);
        }

        string fence = new('`', longestRun + 1);
        return $"{fence} {line.Replace("|", "\\|", StringComparison.Ordinal)} {fence}";
    }
}
