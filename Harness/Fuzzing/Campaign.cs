using System.Collections.Concurrent;
using System.Diagnostics;
using Conformance.Cases.Fuzzing;
using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Fuzzing;

/// <summary>Runs one generated case through the role's runner and the judge: the same path as a catalogue case.</summary>
internal delegate Task<CaseResult> RunCase(Case @case, int index, CancellationToken cancel);

/// <summary>
/// A fuzzing campaign: generates case after case, runs each through the same runner and judge as the
/// catalogue, counts (never keeps) the results, and shrinks and writes each finding as it is made.
/// </summary>
internal sealed class Campaign(CampaignOptions options, RunCase run, FindingWriter writer, Action<CaseResult>? record, Action<string> log)
{
    private readonly ConcurrentDictionary<string, int> _bySignature = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Finding> _findings = new();
    private readonly Stopwatch _clock = new();

    public CampaignCounters Counters { get; } = new();

    /// <summary>The findings written (bounded by the options), in the order they were made.</summary>
    public IReadOnlyList<Finding> Findings => _findings.ToArray();

    /// <summary>Findings not written because their signature was already kept often enough.</summary>
    public long FindingsNotKept => Counters.Findings - _findings.Count;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Cases that did not pass once but passed (or failed differently) when rerun: reported, not kept as findings.</summary>
    public long Unreproduced => Interlocked.Read(ref _unreproduced);

    private long _unreproduced;

    public double CasesPerSecond => Counters.Run / Math.Max(0.001, _clock.Elapsed.TotalSeconds);

    public async Task RunAsync(CancellationToken cancel)
    {
        _clock.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallel), CancellationToken = stop.Token };
        try
        {
            await Parallel.ForEachAsync(options.Indices(), parallel, async (index, token) =>
            {
                var origin = new FuzzOrigin(FuzzGenerator.VersionFor(options.Deflate), options.Seed, index);
                var script = FuzzGenerator.Script(origin.Version, options.Seed, index);
                var @case = FuzzCase.Build(FuzzCase.IdFor(index), script.Actions, origin, out var prediction, script.Deflate);
                var result = await run(@case, ReportIndex(index), cancel).ConfigureAwait(false);
                if (cancel.IsCancellationRequested)
                {
                    return; // a case cut short by Ctrl+C says nothing about the peer
                }

                bool finding = FindingSignature.IsFinding(result);
                Counters.Count(prediction, result, finding);
                if (finding)
                {
                    await HandleFindingAsync(origin, @case, result, cancel).ConfigureAwait(false);
                    if (options.StopAfterFindings > 0 && _findings.Count(f => f.Shrunk) >= options.StopAfterFindings)
                    {
                        await stop.CancelAsync().ConfigureAwait(false);
                    }
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        _clock.Stop();
    }

    private readonly ConcurrentQueue<(FuzzOrigin Origin, Case Case, CaseResult Result)> _deferred = new();
    private readonly ConcurrentDictionary<string, int> _deferredBySignature = new(StringComparer.Ordinal);

    /// <summary>
    /// fuzz --client: the campaign's cases are played when a client asks for them, and <paramref name="play"/> drives
    /// that, handing each result to <see cref="Observe"/>. Findings are confirmed and shrunk afterwards
    /// (<see cref="ConfirmDeferredAsync"/>), when the client can be asked for reruns.
    /// </summary>
    public async Task RunDrivenAsync(Func<CancellationToken, Task> play, CancellationToken cancel)
    {
        _clock.Start();
        try
        {
            await play(cancel).ConfigureAwait(false);
        }
        finally
        {
            _clock.Stop();
        }
    }

    /// <summary>Counts a result played for <see cref="RunDrivenAsync"/>; a finding is kept (bounded as in the server role) for later. True for the first of a signature.</summary>
    public bool Observe(FuzzOrigin origin, Case @case, Prediction prediction, CaseResult result)
    {
        bool finding = FindingSignature.IsFinding(result);
        Counters.Count(prediction, result, finding);
        if (!finding)
        {
            return false;
        }

        int seen = _deferredBySignature.AddOrUpdate(FindingSignature.Of(result), 1, (_, n) => n + 1);
        if (seen > options.FindingsPerSignature || (seen == 1 && _deferredBySignature.Count > options.MaxSignatures))
        {
            return false;
        }

        _deferred.Enqueue((origin, @case, result));
        return seen == 1;
    }

    /// <summary>Confirms (rerun), shrinks and writes every finding <see cref="Observe"/> kept, all at once (their reruns share the client's rounds).</summary>
    public Task ConfirmDeferredAsync(CancellationToken cancel) =>
        Task.WhenAll(_deferred.ToArray().Select(d => HandleFindingAsync(d.Origin, d.Case, d.Result, cancel)));

    private async Task HandleFindingAsync(FuzzOrigin origin, Case original, CaseResult result, CancellationToken cancel)
    {
        string signature = FindingSignature.Of(result);
        int seen = _bySignature.AddOrUpdate(signature, 1, (_, n) => n + 1);
        if (seen > options.FindingsPerSignature || (seen == 1 && _bySignature.Count > options.MaxSignatures))
        {
            return;
        }

        // A finding is kept only if a rerun gives the same signature: a timer that fired on a loaded machine is not a defect.
        var again = await run(original, ReportIndex(origin.Index), cancel).ConfigureAwait(false);
        if (FindingSignature.Of(again) != signature)
        {
            Interlocked.Increment(ref _unreproduced);
            _bySignature.AddOrUpdate(signature, 0, (_, n) => n - 1);
            log($"not reproduced: {original.Id} gave {signature}, then {FindingSignature.Of(again)}; not kept");
            return;
        }

        var actions = FuzzCase.ActionsOf(original);
        var shrunkId = FuzzCase.ShrunkIdFor(origin.Index);
        var shrink = seen == 1
            ? await Shrinker.ShrinkAsync(actions, async (candidate, token) =>
            {
                var rerun = await run(FuzzCase.Build(shrunkId, candidate, origin, out _, original.Deflate), ReportIndex(origin.Index), token).ConfigureAwait(false);
                return FindingSignature.IsFinding(rerun) && FindingSignature.Of(rerun) == signature;
            }, options.MaxShrinkRuns, options.Parallel, cancel).ConfigureAwait(false)
            : new ShrinkResult(actions, 0, 0);

        var minimal = FuzzCase.Build(shrunkId, shrink.Actions, origin, out _, original.Deflate);
        var minimalResult = await run(minimal, ReportIndex(origin.Index), cancel).ConfigureAwait(false);
        var finding = new Finding(origin, original, result, minimal, minimalResult, shrink, signature) { Shrunk = seen == 1 };
        writer.Write(finding);
        record?.Invoke(result);
        record?.Invoke(minimalResult);
        _findings.Enqueue(finding);
        log($"finding {minimal.Id}{(finding.Shrunk ? "" : " (not shrunk: its signature was shrunk already)")}: {signature}; {actions.Count} action(s) shrunk to {finding.MinimalSteps} in {shrink.Runs} rerun(s)");
    }

    private static int ReportIndex(long index) => (int)Math.Min(int.MaxValue, index + 1);
}
