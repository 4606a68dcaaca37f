using Conformance.Harness.Running;

namespace Conformance.Harness.Fuzzing;

/// <summary>What a fuzzing campaign runs: which part of which seed's sequence, how long, how wide.</summary>
internal sealed record CampaignOptions
{
    public required ulong Seed { get; init; }

    /// <summary>Cases of the whole campaign (all shards together); null: until <see cref="Duration"/> ends.</summary>
    public long? Count { get; init; }

    public TimeSpan? Duration { get; init; }

    public int Parallel { get; init; } = 8;

    /// <summary>
    /// <c>fuzz</c>'s default width against a server: most of a generated case's time is waiting (pauses, spaced
    /// chops, timers), so cases at once, not cores, bound the rate (measured against ws on 2 cores: -j 8 gives
    /// about 500 cases/s at 60 % CPU, -j 32 about 1 100 at full CPU).
    /// </summary>
    public static int ServerDefaultParallel => Math.Clamp(Environment.ProcessorCount * 16, 16, 64);

    /// <summary><c>fuzz --client</c>'s default: the embedded client's cases at once and the shrinker's batch per round.</summary>
    public static int ClientDefaultParallel => Environment.ProcessorCount * 4;

    /// <summary>1-based shard number and the number of shards: this run plays indices i with i mod N = K - 1.</summary>
    public int ShardK { get; init; } = 1;

    public int ShardN { get; init; } = 1;

    public Timers Timers { get; init; } = new();

    /// <summary>Generator version 2: every case offers permessage-deflate and mixes in compressed messages (<c>--deflate</c>).</summary>
    public bool Deflate { get; init; }

    /// <summary>Reruns the shrinker may spend on one finding.</summary>
    public int MaxShrinkRuns { get; init; } = 150;

    /// <summary>Findings kept (written) per signature; the first of each is shrunk, later ones only counted past this.</summary>
    public int FindingsPerSignature { get; init; } = 3;

    /// <summary>Distinct signatures shrunk and written at most (a badly broken peer fails every case).</summary>
    public int MaxSignatures { get; init; } = 20;

    /// <summary>End the campaign once this many shrunk findings are written (0: never); tests looking for one defect use 1.</summary>
    public int StopAfterFindings { get; init; }

    /// <summary>The case indices this shard plays, lazily (a campaign by duration has no end of its own).</summary>
    public IEnumerable<long> Indices()
    {
        for (long i = ShardK - 1; Count is not { } count || i < count; i += ShardN)
        {
            yield return i;
        }
    }
}
