namespace Conformance.Reports.Model;

/// <summary>
/// A fuzzing campaign's figures as the reports show them: one shard's, or several shards' merged
/// (<see cref="Merging.CampaignMerge"/>). The harness fills it from its counters; <c>fuzz.json</c> stores it.
/// Names of frame kinds, states and violation classes are plain text here: Reports knows no generator.
/// </summary>
public sealed record CampaignResult
{
    public required string Seed { get; init; }

    public required int GeneratorVersion { get; init; }

    /// <summary>N of <c>--shard K/N</c> (1 for a campaign in one piece).</summary>
    public required int ShardCount { get; init; }

    /// <summary>Each shard's own figures, by shard number K (1-based).</summary>
    public required IReadOnlyList<ShardFigures> Shards { get; init; }

    /// <summary>Cases of the whole campaign (all shards together); null when it ran for a duration.</summary>
    public long? Count { get; init; }

    public double? DurationSeconds { get; init; }

    public long CasesValid { get; init; }

    /// <summary>Generated cases that did not pass (before reruns and shrinking).</summary>
    public long NotPassed { get; init; }

    /// <summary>Cases that did not pass once but passed (or failed differently) when rerun: not kept as findings.</summary>
    public long NotReproduced { get; init; }

    public int Parallel { get; init; }

    public double TimeoutScale { get; init; } = 1;

    public bool EmbeddedTarget { get; init; }

    /// <summary>"behaviour / close" → count.</summary>
    public IReadOnlyDictionary<string, long> Verdicts { get; init; } = new Dictionary<string, long>();

    /// <summary>Cases that did not pass, by the violation the oracle found first in them.</summary>
    public IReadOnlyDictionary<string, long> NotPassedByViolation { get; init; } = new Dictionary<string, long>();

    public required CoverageGrid Coverage { get; init; }

    /// <summary>The findings written, in the order of the generated cases they came from.</summary>
    public IReadOnlyList<CampaignFinding> Findings { get; init; } = [];

    public long CasesRun => Shards.Sum(s => s.CasesRun);

    /// <summary>Seconds of campaign time, summed over the shards (each shard's own clock).</summary>
    public double ElapsedSeconds => Shards.Sum(s => s.ElapsedSeconds);

    /// <summary>Cases per second of campaign time: what one machine running every shard in turn would have seen.</summary>
    public double CasesPerSecond => CasesRun / Math.Max(0.001, ElapsedSeconds);

    public bool Interrupted => Shards.Any(s => s.Interrupted);

    /// <summary>Shard numbers of the campaign that are not here.</summary>
    public IReadOnlyList<int> MissingShards => [.. Enumerable.Range(1, ShardCount).Except(Shards.Select(s => s.Shard))];
}

/// <summary>One shard's run: which part (K of N), how many cases, how long, whether Ctrl+C cut it short.</summary>
public sealed record ShardFigures(int Shard, long CasesRun, double ElapsedSeconds, bool Interrupted);

/// <summary>Which cells of frame kind × receiver state × violation class the generated cases hit, and how often.</summary>
/// <param name="Kinds">Row axis, part one (every frame kind, hit or not).</param>
/// <param name="States">Row axis, part two (every receiver state).</param>
/// <param name="Violations">Column axis (every violation class, "None" included).</param>
/// <param name="Cells">"kind/state/violation" → cases that hit it; cells not hit are absent.</param>
public sealed record CoverageGrid(IReadOnlyList<string> Kinds, IReadOnlyList<string> States, IReadOnlyList<string> Violations, IReadOnlyDictionary<string, long> Cells)
{
    public int Possible => Kinds.Count * States.Count * Violations.Count;

    public int Hit => Cells.Count(c => c.Value > 0);

    public static string Key(string kind, string state, string violation) => $"{kind}/{state}/{violation}";

    public long this[string kind, string state, string violation] => Cells.GetValueOrDefault(Key(kind, state, violation));
}

/// <summary>
/// One finding: the shrunk (minimal) case, the case as generated, what the peer did, and the finding's files
/// (<c>findings/&lt;FileStem&gt;.json</c>, and <c>.py</c> when <see cref="HasReproduction"/>).
/// </summary>
public sealed record CampaignFinding
{
    public required string Agent { get; init; }

    public required string CaseId { get; init; }

    public required string OriginalCaseId { get; init; }

    public required string Signature { get; init; }

    public required int OriginalActions { get; init; }

    public required int MinimalActions { get; init; }

    public required int ShrinkRuns { get; init; }

    /// <summary>False for a later finding of a signature already shrunk: kept as generated.</summary>
    public bool Shrunk { get; init; } = true;

    public required string Behavior { get; init; }

    public required string Close { get; init; }

    public required string BehaviorReason { get; init; }

    public required string CloseReason { get; init; }

    public required string FileStem { get; init; }

    /// <summary>Whether a stand-alone Python reproduction was written next to the finding file (server testing).</summary>
    public bool HasReproduction { get; init; }

    /// <summary>The minimal script, one action per line.</summary>
    public required IReadOnlyList<string> Script { get; init; }
}
