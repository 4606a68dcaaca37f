using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Merging;

/// <summary>
/// Several results folders (the shards of a run split by case pattern, by agent, or <c>fuzz --shard K/N</c>) merged
/// into one <see cref="RunResult"/>, as if one run had produced it. The rules:
/// <list type="bullet">
/// <item>The folders must come from one harness and catalogue version and test the same role; a folder given twice,
/// a folder without results, and the same agent × case in two folders are errors (a merge never picks a winner).</item>
/// <item>Run facts: the earliest start, the latest end, every target (with the first folder's URL when shards name
/// different ones, as embedded servers on random ports do), the union of the selections; options that differ between
/// the folders list each value once.</item>
/// <item>Fuzzing campaigns are merged by <see cref="CampaignMerge"/>; campaigns and catalogue runs do not mix.</item>
/// </list>
/// </summary>
public static class ResultsMerge
{
    /// <param name="inputs">Each folder (as the user named it) and what was read from it.</param>
    /// <exception cref="MergeException">The folders cannot be merged; the message says which and why.</exception>
    public static RunResult Merge(IReadOnlyList<(string Folder, RunResult Run)> inputs)
    {
        Check(inputs);
        var first = inputs[0].Run;
        var selection = inputs.SelectMany(i => i.Run.Selection).DistinctBy(e => e.Id, StringComparer.Ordinal).OrderBy(e => e.Id, CaseIdOrder.Instance).ToList();
        var position = selection.Select((e, i) => (e.Id, i)).ToDictionary(p => p.Id, p => p.i + 1, StringComparer.Ordinal);
        var results = inputs.SelectMany(i => i.Run.Results)
            .Select(r => position.TryGetValue(r.CaseId, out int n) ? r with { CaseIndex = n } : r)
            .OrderBy(r => r.Agent, StringComparer.Ordinal).ThenBy(r => r.CaseId, CaseIdOrder.Instance)
            .ToList();
        var infos = inputs.Select(i => i.Run.Info).ToList();
        var finished = infos.Select(i => i.Finished).OfType<DateTimeOffset>().ToList();
        var info = first.Info with
        {
            Started = infos.Min(i => i.Started),
            Finished = finished.Count == infos.Count ? finished.Max() : null,
            Targets = infos.SelectMany(i => i.Targets).DistinctBy(t => t.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal), // the rerun command needs one URL
            Options = Options(infos, inputs.Count, selection.Count),
            CommandLine = string.Join(" ; ", infos.Select(i => i.CommandLine).OfType<string>().Where(c => c.Length > 0).Distinct(StringComparer.Ordinal)),
            ExcludedForAgent = infos.SelectMany(i => i.ExcludedForAgent).GroupBy(e => e.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.SelectMany(e => e.Value).Distinct(StringComparer.Ordinal)], StringComparer.Ordinal),
        };
        var campaigns = inputs.Where(i => i.Run.Campaign is not null).Select(i => (i.Folder, i.Run.Campaign!)).ToList();
        return new RunResult(info, results)
        {
            Selection = selection,
            Campaign = campaigns.Count > 0 ? CampaignMerge.Merge(campaigns) : null,
        };
    }

    private static void Check(IReadOnlyList<(string Folder, RunResult Run)> inputs)
    {
        if (inputs.Count < 2)
        {
            throw new MergeException("merging needs at least two results folders");
        }

        var (firstFolder, first) = inputs[0];
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var owner = new Dictionary<(string Agent, string CaseId), string>();
        foreach (var (folder, run) in inputs)
        {
            string full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
            if (!seen.TryAdd(full, folder))
            {
                throw new MergeException($"'{folder}' is given twice");
            }

            if (run.Results.Count == 0 && run.Campaign is null)
            {
                throw new MergeException($"'{folder}' has no results (its index.json lists no case): nothing to merge");
            }

            Same(first.Info.HarnessVersion, run.Info.HarnessVersion, "wsconf", firstFolder, folder);
            Same(first.Info.CatalogueVersion, run.Info.CatalogueVersion, "catalogue", firstFolder, folder);
            if (first.Info.Mode != run.Info.Mode)
            {
                throw new MergeException($"'{folder}' tested {run.Info.Mode}s and '{firstFolder}' {first.Info.Mode}s: merge runs of one role");
            }

            if ((first.Campaign is null) != (run.Campaign is null))
            {
                var (campaign, catalogue) = first.Campaign is null ? (folder, firstFolder) : (firstFolder, folder);
                throw new MergeException($"'{campaign}' is a fuzzing campaign and '{catalogue}' a catalogue run: merge them separately");
            }

            foreach (var result in run.Results)
            {
                if (owner.TryGetValue((result.Agent, result.CaseId), out string? other) && other != folder)
                {
                    throw new MergeException($"case {result.CaseId} of agent '{Text.Clip.Visible(result.Agent, 80)}' is in both '{other}' and '{folder}': each agent × case must come from one folder");
                }

                owner[(result.Agent, result.CaseId)] = folder;
            }
        }
    }

    private static void Same(string a, string b, string what, string folderA, string folderB)
    {
        if (a != b)
        {
            throw new MergeException($"'{folderB}' was written by {what} version {b}, '{folderA}' by {a}: merge results of one version (run the shards again with one build)");
        }
    }

    private static Dictionary<string, string> Options(IReadOnlyList<RunInfo> infos, int folders, int selected)
    {
        var options = Union(infos.Select(i => i.Options));
        if (selected > 0)
        {
            options["cases"] = selected.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        options["merged-from"] = $"{folders} results folders";
        return options;
    }

    /// <summary>Keys of every map; a key whose values differ keeps each distinct value once, joined by " | ".</summary>
    private static Dictionary<string, string> Union(IEnumerable<IReadOnlyDictionary<string, string>> maps) =>
        maps.SelectMany(m => m).GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(p => p.Value).Distinct(StringComparer.Ordinal)), StringComparer.Ordinal);
}
