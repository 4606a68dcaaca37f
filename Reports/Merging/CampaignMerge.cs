using Conformance.Reports.Model;

namespace Conformance.Reports.Merging;

/// <summary>
/// The shards of one fuzzing campaign (<c>fuzz --shard K/N</c>) merged into one <see cref="CampaignResult"/>: counts,
/// verdicts and coverage cells summed (so the cells hit are the union), findings in case ID order (the order of the generated cases). The shards
/// must be of one campaign — the same seed, generator version, N and size — and no shard may come twice; missing
/// shards are allowed and named (<see cref="CampaignResult.MissingShards"/>).
/// </summary>
public static class CampaignMerge
{
    /// <param name="shards">Each folder's campaign with the folder's name (for the error messages).</param>
    /// <exception cref="MergeException">The shards are not of one campaign, or a shard is given twice.</exception>
    public static CampaignResult Merge(IReadOnlyList<(string Folder, CampaignResult Campaign)> shards)
    {
        var (firstFolder, first) = shards[0];
        foreach (var (folder, c) in shards.Skip(1))
        {
            Same(first.Seed, c.Seed, "seed", firstFolder, folder);
            Same(first.GeneratorVersion, c.GeneratorVersion, "generator version", firstFolder, folder);
            Same(first.ShardCount, c.ShardCount, "number of shards (N of --shard K/N)", firstFolder, folder);
            Same(first.Count, c.Count, "campaign size (--count)", firstFolder, folder);
            Same(first.DurationSeconds, c.DurationSeconds, "campaign duration (--duration)", firstFolder, folder);
        }

        var byShard = new Dictionary<int, string>();
        foreach (var (folder, c) in shards)
        {
            foreach (var shard in c.Shards)
            {
                if (!byShard.TryAdd(shard.Shard, folder))
                {
                    throw new MergeException($"shard {shard.Shard}/{first.ShardCount} of campaign seed {first.Seed} is in both '{byShard[shard.Shard]}' and '{folder}'");
                }
            }
        }

        var campaigns = shards.Select(s => s.Campaign).ToList();
        return first with
        {
            Shards = [.. campaigns.SelectMany(c => c.Shards).OrderBy(s => s.Shard)],
            CasesValid = campaigns.Sum(c => c.CasesValid),
            NotPassed = campaigns.Sum(c => c.NotPassed),
            NotReproduced = campaigns.Sum(c => c.NotReproduced),
            Parallel = campaigns.All(c => c.Parallel == first.Parallel) ? first.Parallel : 0,
            TimeoutScale = campaigns.All(c => c.TimeoutScale == first.TimeoutScale) ? first.TimeoutScale : 1,
            EmbeddedTarget = campaigns.All(c => c.EmbeddedTarget),
            Verdicts = Sum(campaigns.Select(c => c.Verdicts)),
            NotPassedByViolation = Sum(campaigns.Select(c => c.NotPassedByViolation)),
            Coverage = first.Coverage with { Cells = Sum(campaigns.Select(c => c.Coverage.Cells)) },
            Findings = [.. campaigns.SelectMany(c => c.Findings).OrderBy(f => f.CaseId, Writers.CaseIdOrder.Instance)],
        };
    }

    private static void Same<T>(T a, T b, string what, string folderA, string folderB)
    {
        if (!EqualityComparer<T>.Default.Equals(a, b))
        {
            throw new MergeException($"'{folderB}' is not a shard of the same campaign as '{folderA}': {what} {Show(b)} in '{folderB}', {Show(a)} in '{folderA}'");
        }
    }

    private static string Show<T>(T value) => value?.ToString() ?? "none";

    private static Dictionary<string, long> Sum(IEnumerable<IReadOnlyDictionary<string, long>> counts)
    {
        var sum = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, n) in counts.SelectMany(c => c))
        {
            sum[key] = sum.GetValueOrDefault(key) + n;
        }

        return sum;
    }
}
