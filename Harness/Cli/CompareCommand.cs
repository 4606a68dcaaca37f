using System.CommandLine;
using Conformance.Reports.Compare;
using Conformance.Reports.Html;
using Conformance.Reports.Output;
using Conformance.Reports.Reading;

namespace Conformance.Harness.Cli;

/// <summary><c>compare OLD NEW</c>: regressions and fixes between two results folders (their index.json); exit 1 on a regression.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var old = new Argument<string>("old") { Description = "The earlier results folder (or its index.json)" };
        var @new = new Argument<string>("new") { Description = "The later results folder (or its index.json)" };
        var html = new Option<string?>("--html") { Description = "Also write the comparison as an HTML page to FILE (regressions, fixes, unchanged failures, links to both runs' case pages)" };
        var templates = new Option<string?>("--templates") { Description = "Folder of .sbn-html (Scriban) templates replacing the shipped ones file by file" };
        var command = new Command("compare", "List regressions and fixes between two results folders; exit 1 on a regression") { old, @new, html, templates };
        command.SetAction(parse =>
        {
            IReadOnlyList<VerdictChange> changes;
            IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> before, after;
            try
            {
                before = ResultsReader.ReadIndex(parse.GetValue(old)!);
                after = ResultsReader.ReadIndex(parse.GetValue(@new)!);
                changes = RunComparison.Compare(before, after);
            }
            catch (ResultsReadException e)
            {
                throw new UsageException(e.Message);
            }

            if (parse.GetValue(html) is { } page)
            {
                WritePage(page, parse.GetValue(templates), changes, RunComparison.UnchangedFailures(before, after), Folder(parse.GetValue(old)!), Folder(parse.GetValue(@new)!));
            }

            foreach (var (kind, title) in new[] { (ChangeKind.Regression, "Regressions"), (ChangeKind.Fix, "Fixes"), (ChangeKind.Changed, "Changed, same rank"), (ChangeKind.New, "New cases") })
            {
                var group = changes.Where(c => c.Kind == kind).ToList();
                if (group.Count == 0)
                {
                    continue;
                }

                Console.Out.WriteLine($"{title} ({group.Count}):");
                foreach (var change in group)
                {
                    Console.Out.WriteLine($"    {DisplayText.Line(change.Agent, 40)}  {DisplayText.Line(change.CaseId, 12),-9} {DisplayText.Line(change.Old, 40)} -> {DisplayText.Line(change.New, 40)}");
                }
            }

            int regressions = changes.Count(c => c.Kind == ChangeKind.Regression);
            Console.Out.WriteLine($"{regressions} regression(s), {changes.Count(c => c.Kind == ChangeKind.Fix)} fix(es), {changes.Count(c => c.Kind == ChangeKind.Changed)} other change(s), {changes.Count(c => c.Kind == ChangeKind.New)} new case(s).");
            return regressions > 0 ? ExitCodes.Failed : ExitCodes.Passed;
        });
        return command;
    }

    private static string Folder(string folderOrIndex) => Directory.Exists(folderOrIndex) ? folderOrIndex : Path.GetDirectoryName(Path.GetFullPath(folderOrIndex))!;

    private static void WritePage(string path, string? templates, IReadOnlyList<VerdictChange> changes, IReadOnlyList<VerdictChange> unchanged, string oldDir, string newDir)
    {
        try
        {
            var model = ComparePageBuilder.Build(changes, unchanged, oldDir, newDir, Path.GetDirectoryName(Path.GetFullPath(path))!);
            var page = new HtmlReportWriter(ScribanTemplateEngine.Create(templates)).Page(path, HtmlReportWriter.CompareTemplate, () => model);
            AtomicFile.Write(Path.GetFullPath(path), page.Write);
        }
        catch (TemplateException e)
        {
            throw new UsageException($"report templates: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write '{path}': {e.Message}");
        }

        Console.Out.WriteLine($"Comparison page: {Path.GetFullPath(path)}");
    }
}
