using System.CommandLine;
using Conformance.Reports.Gating;
using Conformance.Reports.Html;
using Conformance.Reports.Merging;
using Conformance.Reports.Model;
using Conformance.Reports.Reading;
using Conformance.Reports.Writers;

namespace Conformance.Harness.Cli;

/// <summary>
/// <c>report DIR…</c>: renders HTML, JUnit and Markdown again from a results folder (ours, or Autobahn|Testsuite's)
/// and gates it like a run. Given several folders (the shards of a run or of a fuzzing campaign) it merges them into
/// one results folder (<see cref="ResultsMerge"/>, <see cref="MergedFolder"/>) and reports that, as if one run had
/// written it. JUnit and Markdown go to <c>junit.xml</c> and <c>summary.md</c> in the output folder unless
/// <c>--junit</c>/<c>--summary-md</c> say otherwise.
/// </summary>
internal static class ReportCommand
{
    /// <summary>The merged folder's name when <c>--out</c> is not given: next to the first folder merged.</summary>
    public const string DefaultMergedFolder = "merged";

    public static Command Create()
    {
        var folders = new Argument<string[]>("dir")
        {
            Description = "Results folder with index.json (written by wsconf or Autobahn|Testsuite); several folders (shards) are merged into one report",
            Arity = ArgumentArity.OneOrMore,
        };
        var outDir = new Option<string?>("--out", "-o") { Description = $"Where to write the report (default: the results folder; when merging, a new folder '{DefaultMergedFolder}' next to the first one)" };
        var writeBaseline = new Option<string?>("--write-baseline") { Description = "Also write a baseline file accepting the verdicts as they are (every case not OK / OK)" };
        var report = new ReportOptions();
        var command = new Command("report", "Render the HTML, JUnit and Markdown reports again from a results folder, or merge the results folders of several shards into one report") { folders, outDir, writeBaseline };
        report.AddTo(command);
        command.SetAction(parse =>
        {
            string[] dirs = parse.GetValue(folders)!;
            var settings = report.From(parse);
            var inputs = dirs.Select(dir => (Folder: dir, Contents: Read(dir))).ToList();
            RunResult run;
            string output;
            string? jsonDir = null;
            if (inputs.Count == 1)
            {
                run = inputs[0].Contents.Run;
                output = parse.GetValue(outDir) ?? dirs[0];
                jsonDir = Path.GetFullPath(output) == Path.GetFullPath(dirs[0]) ? null : dirs[0];
            }
            else
            {
                output = parse.GetValue(outDir) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dirs[0]).TrimEnd(Path.DirectorySeparatorChar)) ?? ".", DefaultMergedFolder);
                run = Merge(inputs.Select(i => (i.Folder, i.Contents.Run)).ToList(), output);
            }

            settings = settings with
            {
                Files = FileFormat.All.ToDictionary(f => f, f => settings.Files.GetValueOrDefault(f) ?? Path.Combine(output, f.DefaultFile)),
            };
            if (parse.GetValue(writeBaseline) is { } baselinePath)
            {
                WriteBaseline(run, baselinePath);
            }

            foreach (var (folder, contents) in inputs)
            {
                Console.Out.WriteLine($"Read {contents.Run.Results.Count} result(s) from {Path.GetFullPath(folder)} ({contents.Format}{Shard(contents.Run.Campaign)}).");
            }

            if (inputs.Count > 1)
            {
                Console.Out.WriteLine($"Merged {run.Results.Count} result(s) from {inputs.Count} folders into {Path.GetFullPath(output)}.");
                if (run.Campaign is { MissingShards.Count: > 0 } campaign)
                {
                    Console.Error.WriteLine($"warning: shard(s) {string.Join(", ", campaign.MissingShards)} of {campaign.ShardCount} are missing: the campaign's figures cover {campaign.Shards.Count} of its {campaign.ShardCount} parts");
                }
            }

            new ConsoleSummaryWriter().Write(run, Console.Out);
            Console.Out.WriteLine(string.Join("; ", settings.Files.Select(f => $"{f.Key.Option[2..]}: {Path.GetFullPath(f.Value)}")));
            return ReportOutputs.Finish(run, output, jsonDir, settings, Console.Out);
        });
        return command;
    }

    /// <summary>A folder read back as summaries (one case file at a time); its warnings printed, at most ten.</summary>
    private static ResultsFolderContents Read(string dir)
    {
        ResultsFolderContents contents;
        try
        {
            contents = new ResultsReader(ReportOptions.Lookup) { Summaries = true }.Read(dir);
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

        return contents;
    }

    private static RunResult Merge(IReadOnlyList<(string Folder, RunResult Run)> inputs, string output)
    {
        try
        {
            return MergedFolder.Write(ResultsMerge.Merge(inputs), [.. inputs.Select(i => i.Folder)], output);
        }
        catch (MergeException e)
        {
            throw new UsageException($"cannot merge: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write the merged folder '{output}': {e.Message}");
        }
    }

    private static void WriteBaseline(RunResult run, string baselinePath)
    {
        try
        {
            File.WriteAllBytes(baselinePath, Baseline.From(run.Results).ToJson());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write the baseline '{baselinePath}': {e.Message}");
        }

        Console.Out.WriteLine($"Baseline written: {Path.GetFullPath(baselinePath)}");
    }

    private static string Shard(CampaignResult? campaign) =>
        campaign is null ? "" : $", fuzzing campaign seed {campaign.Seed}, shard {string.Join(", ", campaign.Shards.Select(s => s.Shard))} of {campaign.ShardCount}";
}
