using System.Text;
using Conformance.Reports.Charts;
using Conformance.Reports.Gating;
using Conformance.Reports.Model;
using Conformance.Reports.Output;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Html;

/// <summary>
/// Writes the HTML report of a run: <c>index.html</c> (counts, pictures and the agents × cases matrix),
/// <c>failures.html</c> (only the cases that did not pass), <c>performance.html</c> (categories 9, 12 and 13 as
/// pictures, when the run has them), <c>fuzz.html</c> (a fuzzing campaign's figures, findings and coverage, when the run
/// is one; index.html shows its findings too) and one <c>&lt;agent&gt;_case_&lt;id&gt;.html</c> per result. With more than
/// <see cref="IndexPageBuilder.MaxMatrixAgents"/> agents the report grows with what failed, not with agents × cases:
/// the matrix becomes one row per case with verdict counts, and only cases that did not pass get a page.
/// Static files with inline CSS and SVG and no script, so they work offline and from a CI artifact.
/// </summary>
public sealed class HtmlReportWriter(ITemplateEngine templates) : IReportWriter
{
    public const string IndexFile = IndexPageBuilder.IndexFile;

    public const string IndexTemplate = "index";
    public const string FailuresTemplate = "failures";
    public const string CaseTemplate = "case";
    public const string PerformanceTemplate = "performance";
    public const string CompareTemplate = "compare";
    public const string CampaignTemplate = "fuzz";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public IEnumerable<ReportFile> Files(ReportContext context)
    {
        var data = new ReportData(context.Run);
        var figures = PerformanceCharts.Build(data);
        var pages = new IndexPageBuilder(data, context.Gate, context.Names, figures.Count > 0);
        yield return Page(IndexPageBuilder.IndexFile, IndexTemplate, pages.Index);
        yield return Page(IndexPageBuilder.FailuresFile, FailuresTemplate, pages.Failures);
        if (figures.Count > 0)
        {
            yield return Page(IndexPageBuilder.PerformanceFile, PerformanceTemplate, () => pages.Performance(figures));
        }

        if (context.Run.Campaign is { } campaign)
        {
            yield return Page(IndexPageBuilder.CampaignFile, CampaignTemplate, () => pages.Campaign(campaign));
        }

        string jsonPrefix = JsonPrefix(context);
        foreach (var result in context.Run.Results.GroupBy(r => (r.Agent, r.CaseId)).Select(g => g.Last()).Where(pages.HasCasePage))
        {
            yield return Page(context.Names.CaseFile(result.Agent, result.CaseId, "html"), CaseTemplate,
                () => CasePageBuilder.Build(context.Detailed(result), context.Run.Info, jsonPrefix + Uri.EscapeDataString(context.Names.CaseFile(result.Agent, result.CaseId, "json"))));
        }
    }

    /// <summary>Writes every page into <paramref name="outDir"/> (see <see cref="ReportFiles"/>) and returns the path of index.html.</summary>
    /// <param name="jsonDir">Where the per-case JSON files are (for the links), when not <paramref name="outDir"/>.</param>
    public HtmlReportFiles Write(RunResult run, GateResult gate, string outDir, string? jsonDir = null)
    {
        var written = ReportFiles.Write(new ReportContext(run, gate, outDir, jsonDir), this);
        return new HtmlReportFiles(Path.GetFullPath(Path.Combine(outDir, IndexPageBuilder.IndexFile)), written.Paths.Count, written.Bytes);
    }

    /// <summary>A page rendered straight into its file; the model is built when the file is written.</summary>
    public ReportFile Page(string fileName, string template, Func<object> model) => new(fileName, stream =>
    {
        using var writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" };
        templates.Render(template, model(), writer);
    });

    private static string JsonPrefix(ReportContext context)
    {
        if (context.JsonDir is null)
        {
            return "";
        }

        string prefix = Path.GetRelativePath(context.OutDir, context.JsonDir).Replace('\\', '/').TrimEnd('/') + "/";
        return prefix == "./" ? "" : prefix;
    }
}

public sealed record HtmlReportFiles(string IndexPath, int Pages, long Bytes);
