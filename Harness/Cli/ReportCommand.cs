using System.CommandLine;
using Conformance.Reports.Gating;
using Conformance.Reports.Html;
using Conformance.Reports.Reading;
using Conformance.Reports.Writers;

namespace Conformance.Harness.Cli;

/// <summary>
/// <c>report DIR</c>: renders HTML, JUnit and Markdown again from a results folder (ours, or Autobahn|Testsuite's)
/// and gates it like a run. JUnit and Markdown go to <c>junit.xml</c> and <c>summary.md</c> in the output folder
/// unless <c>--junit</c>/<c>--summary-md</c> say otherwise.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("dir") { Description = "Results folder with index.json (written by wsconf or Autobahn|Testsuite)" };
        var outDir = new Option<string?>("--out", "-o") { Description = "Where to write the HTML (default: the results folder)" };
        var writeBaseline = new Option<string?>("--write-baseline") { Description = "Also write a baseline file accepting the verdicts as they are (every case not OK / OK)" };
        var report = new ReportOptions();
        var command = new Command("report", "Render the HTML, JUnit and Markdown reports again from a results folder") { folder, outDir, writeBaseline };
        report.AddTo(command);
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(folder)!;
            var settings = report.From(parse);
            ResultsFolderContents contents;
            try
            {
                contents = new ResultsReader(ReportOptions.Lookup).Read(dir);
            }
            catch (ResultsReadException e)
            {
                throw new UsageException(e.Message);
            }

            foreach (string warning in contents.Warnings.Take(10))
            {
                Console.Error.WriteLine($"warning: {DisplayText.Line(warning, 300)}");
            }

            if (contents.Warnings.Count > 10)
            {
                Console.Error.WriteLine($"warning: ... and {contents.Warnings.Count - 10} more");
            }

            string output = parse.GetValue(outDir) ?? dir;
            settings = settings with
            {
                Files = FileFormat.All.ToDictionary(f => f, f => settings.Files.GetValueOrDefault(f) ?? Path.Combine(output, f.DefaultFile)),
            };
            if (parse.GetValue(writeBaseline) is { } baselinePath)
            {
                try
                {
                    File.WriteAllBytes(baselinePath, Baseline.From(contents.Run.Results).ToJson());
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot write the baseline '{baselinePath}': {e.Message}");
                }

                Console.Out.WriteLine($"Baseline written: {Path.GetFullPath(baselinePath)}");
            }

            Console.Out.WriteLine($"Read {contents.Run.Results.Count} result(s) from {Path.GetFullPath(dir)} ({contents.Format}).");
            new ConsoleSummaryWriter().Write(contents.Run, Console.Out);
            Console.Out.WriteLine(string.Join("; ", settings.Files.Select(f => $"{f.Key.Option[2..]}: {Path.GetFullPath(f.Value)}")));
            return ReportOutputs.Finish(contents.Run, output, Path.GetFullPath(output) == Path.GetFullPath(dir) ? null : dir, settings, Console.Out);
        });
        return command;
    }
}
