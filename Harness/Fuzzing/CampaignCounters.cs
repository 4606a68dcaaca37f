using System.Collections.Concurrent;
using Conformance.Cases.Fuzzing;
using Conformance.Reports.Model;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// What a campaign keeps in memory: counters and the coverage cells (a bounded set), never the results
/// themselves, so memory does not grow with the number of cases.
/// </summary>
internal sealed class CampaignCounters
{
    private long _run;
    private long _valid;
    private long _findings;
    private long _nonStrict;
    private long _informational;
    private readonly ConcurrentDictionary<CoverageCell, long> _coverage = new();
    private readonly ConcurrentDictionary<string, long> _verdicts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ViolationClass, long> _notPassedByViolation = new();

    public long Run => Interlocked.Read(ref _run);

    public long Valid => Interlocked.Read(ref _valid);

    public long Findings => Interlocked.Read(ref _findings);

    public long NonStrict => Interlocked.Read(ref _nonStrict);

    public long Informational => Interlocked.Read(ref _informational);

    public IReadOnlyDictionary<CoverageCell, long> Coverage => _coverage;

    /// <summary>"behaviour / close" → count.</summary>
    public IReadOnlyDictionary<string, long> Verdicts => _verdicts;

    /// <summary>Cases that did not pass, by the violation the oracle found first in them (None: a valid script).</summary>
    public IReadOnlyDictionary<ViolationClass, long> NotPassedByViolation => _notPassedByViolation;

    public void Count(Prediction prediction, CaseResult result, bool finding)
    {
        Interlocked.Increment(ref _run);
        if (prediction.IsValid)
        {
            Interlocked.Increment(ref _valid);
        }

        if (finding)
        {
            Interlocked.Increment(ref _findings);
            _notPassedByViolation.AddOrUpdate(prediction.Violation, 1, (_, n) => n + 1);
        }

        if (result.Behavior == Behavior.NonStrict)
        {
            Interlocked.Increment(ref _nonStrict);
        }

        if (result.Behavior == Behavior.Informational)
        {
            Interlocked.Increment(ref _informational);
        }

        _verdicts.AddOrUpdate($"{result.Behavior.Label()} / {result.CloseBehavior.Label()}", 1, (_, n) => n + 1);
        foreach (var cell in prediction.Coverage)
        {
            _coverage.AddOrUpdate(cell, 1, (_, n) => n + 1);
        }
    }

    /// <summary>The cells of frame kind × stream state × violation class that can occur at all (the denominator of coverage).</summary>
    public static int PossibleCells => Enum.GetValues<FrameKind>().Length * Enum.GetValues<StreamState>().Length * Enum.GetValues<ViolationClass>().Length;
}
