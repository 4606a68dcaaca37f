using System.Text;
using Conformance.Reports.Gating;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Html;

/// <summary>
/// Writes the HTML report of a run: <c>index.html</c> (the agents × cases matrix), <c>failures.html</c> (only the
/// cases that did not pass) and one <c>&lt;agent&gt;_case_&lt;id&gt;.html</c> per result. Static files with
/// inline CSS and no script, so they work offline and from a CI artifact.
/// </summary>
public sealed class HtmlReportWriter(ITemplateEngine templates)
{
    public const string IndexTemplate = "index";
    public const string FailuresTemplate = "failures";
    public const string CaseTemplate = "case";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes every page into <paramref name="outDir"/> and returns the path of index.html.</summary>
    /// <param name="jsonDir">Where the per-case JSON files are (for the links), when not <paramref name="outDir"/>.</param>
    public HtmlReportFiles Write(RunResult run, GateResult gate, string outDir, string? jsonDir = null)
    {
        Directory.CreateDirectory(outDir);
        var data = new ReportData(run);
        var pages = new IndexPageBuilder(data, gate);
        string jsonPrefix = jsonDir is null ? "" : Path.GetRelativePath(outDir, jsonDir).Replace('\\', '/').TrimEnd('/') + "/";
        if (jsonPrefix == "./")
        {
            jsonPrefix = "";
        }

        long bytes = WriteFile(Path.Combine(outDir, IndexPageBuilder.IndexFile), IndexTemplate, pages.Index());
        bytes += WriteFile(Path.Combine(outDir, IndexPageBuilder.FailuresFile), FailuresTemplate, pages.Failures());

        var latest = run.Results.GroupBy(r => (r.Agent, r.CaseId)).Select(g => g.Last()).ToList();
        long caseBytes = 0;
        Parallel.ForEach(latest, result =>
        {
            var page = CasePageBuilder.Build(result, run.Info, jsonPrefix + Uri.EscapeDataString(result.ReportFile));
            Interlocked.Add(ref caseBytes, WriteFile(Path.Combine(outDir, CasePageBuilder.FileName(result.Agent, result.CaseId)), CaseTemplate, page));
        });

        return new HtmlReportFiles(Path.Combine(outDir, IndexPageBuilder.IndexFile), latest.Count + 2, bytes + caseBytes);
    }

    private long WriteFile(string path, string template, object model)
    {
        // Written whole and renamed into place, like the JSON files, so a reader never sees half a page.
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new StreamWriter(stream, Utf8, 1 << 16) { NewLine = "\n" })
            {
                templates.Render(template, model, writer);
            }

            long length = new FileInfo(temporary).Length;
            File.Move(temporary, path, overwrite: true);
            return length;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

public sealed record HtmlReportFiles(string IndexPath, int Pages, long Bytes);
