using System.Diagnostics;
using Conformance.Reports.Gating;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Harness.Cli;

/// <summary>The end of every run and of <c>report</c>: gate, HTML, JUnit, Markdown; the last line printed is the path of index.html.</summary>
internal static class ReportOutputs
{
    public static int Finish(RunResult run, string outDir, string? jsonDir, ReportSettings settings, TextWriter console)
    {
        var gate = settings.Gate.Evaluate(run);
        Print(console, "Better than the baseline (tighten it)", gate.BetterThanBaseline);
        if (settings.Gate.Baseline is not null || settings.Gate.Strict)
        {
            Print(console, "Failing the gate", gate.Failures);
        }

        var clock = Stopwatch.StartNew();
        HtmlReportFiles html;
        try
        {
            html = new HtmlReportWriter(ScribanTemplateEngine.Create(settings.Templates)).Write(run, gate, outDir, jsonDir);
            if (settings.JUnit is { } junit)
            {
                WriteFile(junit, new JUnitWriter().Render(run, gate));
            }

            if (settings.SummaryMarkdown is { } markdown)
            {
                WriteFile(markdown, System.Text.Encoding.UTF8.GetBytes(new MarkdownSummaryWriter().Render(run, gate, Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(markdown))!, html.IndexPath))));
            }
        }
        catch (TemplateException e)
        {
            throw new UsageException($"report templates: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write the report: {e.Message}");
        }

        console.WriteLine($"Gate: {gate.Describe()}");
        console.WriteLine($"HTML report: {html.Pages} page(s), {html.Bytes / (1024.0 * 1024.0):0.0} MB, rendered in {clock.Elapsed.TotalSeconds:0.00} s");
        console.WriteLine(Path.GetFullPath(html.IndexPath));
        return gate.ExitCode;
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

    private static void WriteFile(string path, byte[] contents)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllBytes(path, contents);
    }
}
