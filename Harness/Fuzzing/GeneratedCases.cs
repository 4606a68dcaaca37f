using System.Collections;
using Conformance.Cases.Fuzzing;
using Conformance.Cases.Scripting;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// A campaign's cases as a list a client walks (fuzz --client: case number N of <c>/runCase</c> is position N - 1):
/// position P is the campaign's P-th index of this shard, generated when asked for, never held.
/// </summary>
internal sealed class GeneratedCases(CampaignOptions options, int count) : IReadOnlyList<Case>
{
    /// <summary>The case count a client is told when the campaign is bounded by --duration only.</summary>
    public const int UnboundedCount = 1_000_000;

    public static GeneratedCases For(CampaignOptions options)
    {
        long total = options.Count is { } c ? (c - (options.ShardK - 1) + options.ShardN - 1) / options.ShardN : UnboundedCount;
        return new GeneratedCases(options, (int)Math.Clamp(total, 0, UnboundedCount));
    }

    public int Count => count;

    public Case this[int position] => Build(IndexAt(position), out _, out _);

    /// <summary>The campaign index at a position of the list (shard K of N plays K - 1, K - 1 + N, …).</summary>
    public long IndexAt(int position) => options.ShardK - 1 + (long)position * options.ShardN;

    public Case Build(long index, out FuzzOrigin origin, out Prediction prediction)
    {
        origin = new FuzzOrigin(FuzzGenerator.Version, options.Seed, index);
        return FuzzCase.Build(FuzzCase.IdFor(index), FuzzGenerator.Actions(options.Seed, index), origin, out prediction);
    }

    public IEnumerator<Case> GetEnumerator()
    {
        for (int i = 0; i < count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
