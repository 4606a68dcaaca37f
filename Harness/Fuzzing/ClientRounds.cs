using System.Collections;
using System.Diagnostics;
using System.Globalization;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Reports.Model;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// fuzz --client's cases as the client-testing server offers them (the plan's case list), round by round. A round is
/// what a client plays after one <c>/getCaseCount</c>: until the <c>--exec</c> command exits, the embedded driver
/// returns, or a served driver calls <c>/updateReports</c>. The first round offers the campaign's generated cases.
/// Later rounds offer the reruns the campaign asks for while it confirms and shrinks findings (<see cref="RunAsync"/>,
/// the campaign's <see cref="RunCase"/>): all reruns waiting when a round begins, each renamed 102.R.N so that a late
/// result of an earlier round is never taken for one of this round's. A rerun a round leaves unplayed is offered
/// once more; then (or after <see cref="GiveUp"/>) it comes back as "not played", which is never a finding.
/// </summary>
internal sealed class ClientRounds(IReadOnlyList<Case> campaign, Action<CaseResult> campaignResult) : IReadOnlyList<Case>
{
    /// <summary>Reruns are offered as 102.R.N: round R, case number N.</summary>
    public const int RerunCategory = 102;

    /// <summary>A rerun is offered in at most this many rounds before it counts as not played.</summary>
    private const int MaxOffers = 2;

    /// <summary>The most reruns one round offers.</summary>
    private const int MaxPerRound = 500;

    /// <summary>A round begins once no rerun has been asked for this long (the shrinker asks for a batch at once).</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a served driver's <c>/getCaseCount</c> waits for reruns to be asked for when none are.</summary>
    private static readonly TimeSpan CountWait = TimeSpan.FromSeconds(3);

    /// <summary>How long a second <c>/getCaseCount</c> during the campaign's round waits for that round to end.</summary>
    private static readonly TimeSpan CampaignWait = TimeSpan.FromSeconds(30);

    private sealed class Rerun(Case asked, int index)
    {
        public Case Asked { get; } = asked;

        public int Index { get; } = index;

        public int Offers { get; set; }

        public TaskCompletionSource<CaseResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Lock _gate = new();
    private readonly List<Rerun> _pending = [];
    private readonly Dictionary<string, Rerun> _offered = new(StringComparer.Ordinal);
    private readonly Stopwatch _sinceAsked = Stopwatch.StartNew();
    private IReadOnlyList<Case> _cases = campaign;
    private bool _inCampaign = true;
    private bool _campaignAsked;
    private bool _givenUp;
    private int _round;
    private long _resolved;
    private string _agent = "client";

    public int Count => Volatile.Read(ref _cases).Count;

    public Case this[int index] => Volatile.Read(ref _cases)[index];

    public IEnumerator<Case> GetEnumerator() => Volatile.Read(ref _cases).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Rerun rounds offered so far.</summary>
    public int RerunRounds => Volatile.Read(ref _round);

    /// <summary>Reruns offered in the current round and not played yet.</summary>
    public int Unplayed
    {
        get
        {
            lock (_gate)
            {
                return _offered.Count;
            }
        }
    }

    /// <summary>The campaign's round is over: its late results are not counted, and nothing is offered until reruns are asked for.</summary>
    public void EndCampaign()
    {
        lock (_gate)
        {
            _inCampaign = false;
            _cases = [];
        }
    }

    /// <summary>The campaign's <see cref="RunCase"/> for reruns: waits for a client round to play the case.</summary>
    public async Task<CaseResult> RunAsync(Case @case, int index, CancellationToken cancel)
    {
        var rerun = new Rerun(@case, index);
        lock (_gate)
        {
            if (_givenUp)
            {
                return NotPlayed(rerun, "no further client round was possible");
            }

            _pending.Add(rerun);
            _sinceAsked.Restart();
        }

        using (cancel.Register(() => rerun.Done.TrySetCanceled(cancel)))
        {
            return await rerun.Done.Task.ConfigureAwait(false);
        }
    }

    /// <summary>True once reruns are waiting and none has been asked for during <see cref="Quiet"/>; false when <paramref name="bound"/> passes first.</summary>
    public async Task<bool> WaitForRerunsAsync(TimeSpan bound, CancellationToken cancel)
    {
        var waited = Stopwatch.StartNew();
        while (!cancel.IsCancellationRequested)
        {
            lock (_gate)
            {
                if (_pending.Count > 0 && (_sinceAsked.Elapsed >= Quiet || _pending.Count >= MaxPerRound))
                {
                    return true;
                }
            }

            if (waited.Elapsed >= bound)
            {
                return false;
            }

            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Before <c>/getCaseCount</c> is answered: after the campaign's round, a round of the waiting reruns begins.</summary>
    public async Task BeforeCaseCountAsync(CancellationToken stop)
    {
        lock (_gate)
        {
            if (_inCampaign && !_campaignAsked)
            {
                _campaignAsked = true;
                return; // the campaign's round begins
            }
        }

        // A served driver's next round may ask while the campaign's round is still settling: it gets the reruns, not the campaign again.
        var waited = Stopwatch.StartNew();
        while (Volatile.Read(ref _inCampaign) && waited.Elapsed < CampaignWait && !stop.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        bool idle;
        lock (_gate)
        {
            if (_inCampaign)
            {
                return;
            }

            idle = _cases.Count == 0;
        }

        if (idle)
        {
            await WaitForRerunsAsync(CountWait, stop).ConfigureAwait(false);
        }

        var notPlayed = new List<Rerun>();
        lock (_gate)
        {
            if (_pending.Count == 0 || _givenUp)
            {
                return; // the round being played stays offered
            }

            // What an earlier round left unplayed (a served driver that stopped half-way) is offered again, first.
            foreach (var left in _offered.Values)
            {
                (left.Offers < MaxOffers ? _pending : notPlayed).Insert(0, left);
            }

            _offered.Clear();
            _round++;
            var cases = new List<Case>();
            foreach (var rerun in _pending.Take(MaxPerRound))
            {
                var id = CaseId.Parse(string.Create(CultureInfo.InvariantCulture, $"{RerunCategory}.{_round}.{cases.Count + 1}"));
                cases.Add(rerun.Asked with { Id = id });
                rerun.Offers++;
                _offered[id.Text] = rerun;
            }

            _pending.RemoveRange(0, cases.Count);
            _cases = cases;
        }

        Complete(notPlayed, $"the client left it unplayed in {MaxOffers} rounds");
    }

    /// <summary>A served driver's reruns: true once none waits or is unplayed; false when nothing was played for <paramref name="patience"/>.</summary>
    public async Task<bool> WaitUntilPlayedAsync(TimeSpan patience, CancellationToken cancel)
    {
        var idle = Stopwatch.StartNew();
        long resolved = Interlocked.Read(ref _resolved);
        while (!cancel.IsCancellationRequested && idle.Elapsed < patience)
        {
            lock (_gate)
            {
                if (_pending.Count == 0 && _offered.Count == 0)
                {
                    return true;
                }
            }

            if (Interlocked.Read(ref _resolved) != resolved)
            {
                resolved = Interlocked.Read(ref _resolved);
                idle.Restart();
            }

            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        return false;
    }

    private void Complete(List<Rerun> reruns, string why)
    {
        foreach (var rerun in reruns)
        {
            rerun.Done.TrySetResult(NotPlayed(rerun, why));
        }
    }

    /// <summary>Every result the client-testing server records: a rerun's goes to whoever asked for it, the campaign's to the campaign.</summary>
    public void OnResult(CaseResult result)
    {
        Rerun? rerun;
        bool forCampaign;
        lock (_gate)
        {
            _agent = result.Agent;
            _offered.Remove(result.CaseId, out rerun);
            forCampaign = rerun is null && _inCampaign && result.Category == Cases.Fuzzing.FuzzCase.Category;
        }

        if (rerun is not null)
        {
            Interlocked.Increment(ref _resolved);
            rerun.Done.TrySetResult(result with { CaseId = rerun.Asked.Id.Text, CaseIndex = rerun.Index, Category = rerun.Asked.Category, Description = rerun.Asked.Description });
        }
        else if (forCampaign)
        {
            campaignResult(result);
        }
    }

    /// <summary>A client's round has ended (and its cases have settled): what it left unplayed is offered again, or given up.</summary>
    public void EndRound()
    {
        var notPlayed = new List<Rerun>();
        lock (_gate)
        {
            foreach (var rerun in _offered.Values)
            {
                if (rerun.Offers < MaxOffers && !_givenUp)
                {
                    _pending.Insert(0, rerun);
                }
                else
                {
                    notPlayed.Add(rerun);
                }
            }

            _offered.Clear();
            _cases = [];
        }

        Complete(notPlayed, $"the client left it unplayed in {MaxOffers} rounds");
    }

    /// <summary>No more rounds: every rerun waiting now or asked for later comes back as not played.</summary>
    public void GiveUp()
    {
        Rerun[] all;
        lock (_gate)
        {
            _givenUp = true;
            all = [.. _pending, .. _offered.Values];
            _pending.Clear();
            _offered.Clear();
            _cases = [];
        }

        Complete([.. all], "no further client round was possible");
    }

    /// <summary>A rerun nobody played: UNIMPLEMENTED, which is never a finding, so a candidate is not taken and a finding not confirmed on it.</summary>
    private CaseResult NotPlayed(Rerun rerun, string why)
    {
        var seen = Observations.WithoutConnection(testerIsServer: true, DateTimeOffset.UtcNow, TimeSpan.Zero, $"not played: {why}", "not played");
        return CaseRunner.Result(_agent, rerun.Asked, rerun.Index, seen) with
        {
            Behavior = Behavior.Unimplemented,
            BehaviorReason = $"The rerun was not played: {why}.",
            CloseBehavior = CloseBehavior.Informational,
            CloseReason = "not played",
        };
    }
}
