using System.Diagnostics;
using Conformance.Reports.Gating;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Output;
using Conformance.Reports.Writers;

namespace Conformance.Harness.Cli;

/// <summary>The end of every run and of <c>report</c>: the gate, then every report writer (HTML and each format asked for) through <see cref="ReportFiles"/>; the last line printed is the path of index.html.</summary>
internal static class ReportOutputs
{
    /// <summary>Gates and renders the run; returns the exit code: the gate's, or 1 when a fuzzing campaign has findings (as <c>fuzz</c> exits).</summary>
    public static int Finish(RunResult run, string outDir, string? jsonDir, ReportSettings settings, TextWriter console)
    {
        var gate = settings.Gate.Evaluate(run);
        Print(console, "Better than the baseline (tighten it)", gate.BetterThanBaseline);
        if (settings.Gate.Baseline is not null || settings.Gate.Strict)
        {
            Print(console, "Failing the gate", gate.Failures);
        }

        var clock = Stopwatch.StartNew();
        var context = new ReportContext(run, gate, outDir, jsonDir);
        var html = new HtmlReportWriter(ScribanTemplateEngine.Create(settings.Templates));
        WrittenFiles pages, extra;
        try
        {
            // HTML first and on its own, so its figures below count only pages; then every extra format.
            pages = ReportFiles.Write(context, html);
            extra = ReportFiles.Write(context, settings.Files.Select(f => f.Key.Writer(Path.GetFullPath(f.Value))).Append(new CampaignJson()));
        }
        catch (TemplateException e)
        {
            throw new UsageException($"report templates: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write the report: {e.Message}");
        }

        string indexPath = context.PathOf(HtmlReportWriter.IndexFile);
        console.WriteLine($"Gate: {gate.Describe()}");
        console.WriteLine($"HTML report: {pages.Paths.Count} page(s), {pages.Bytes / (1024.0 * 1024.0):0.0} MB, rendered in {clock.Elapsed.TotalSeconds:0.00} s" +
            (extra.Paths.Count > 0 ? $"; also {string.Join(", ", extra.Paths.Select(Path.GetFileName))}" : ""));
        if (run.Campaign is { Findings.Count: > 0 } campaign)
        {
            console.WriteLine($"Fuzzing: {campaign.Findings.Count} finding(s): exit 1 whatever the gate says of their cases.");
        }
        else if (run.Campaign is { CasesRun: 0 })
        {
            console.WriteLine("Fuzzing: no generated case was played: exit 1 whatever the gate says.");
        }

        console.WriteLine(indexPath);
        return run.Campaign is { Findings.Count: > 0 } or { CasesRun: 0 } ? ExitCodes.Failed : gate.ExitCode;
    }

    private static void Print(TextWriter console, string title, IReadOnlyList<GateFinding> findings)
    {
        if (findings.Count == 0)
        {
            return;
        }

        console.WriteLine($"{title} ({findings.Count}):");
        foreach (var finding in findings.Take(30))
        {
            console.WriteLine($"    {DisplayText.Line(finding.Agent, 40)}  {DisplayText.Line(finding.CaseId, 12),-9} {DisplayText.Line(finding.Why, 160)}");
        }

        if (findings.Count > 30)
        {
            console.WriteLine($"    ... and {findings.Count - 30} more");
        }
    }
}
