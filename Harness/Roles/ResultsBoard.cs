using Conformance.Reports.Model;

namespace Conformance.Harness.Roles;

/// <summary>
/// Client testing's results as the clients see them: the latest result of every agent and case (a case run
/// again replaces the earlier result), the agents in order of their first request (at most a run's agent cap),
/// and waiters for <c>/getCaseStatus</c> that asked before the case ended. A question about an agent or case
/// that ran nothing leaves nothing behind once its waiter has gone. Safe to use from any thread. With
/// <paramref name="summariesOnly"/> the board keeps each result's <see cref="CaseResult.Summary"/>, once the
/// recorder has written the case's file, so memory does not grow with the number of cases. With
/// <paramref name="keepNone"/> (fuzz --client, whose results are counted elsewhere) a result only reaches the
/// questions already waiting for it, so memory does not grow with a campaign's length either.
/// </summary>
internal sealed class ResultsBoard(bool summariesOnly = false, bool keepNone = false)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Agent, string CaseId), CaseResult> _results = [];
    private readonly Dictionary<(string Agent, string CaseId), Waiter> _waiters = [];
    private readonly List<string> _agents = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Agent, string CaseId), int> _running = [];
    private bool _released;

    /// <summary>Waiters for one agent and case: one completion shared by every connection asking, and how many ask.</summary>
    private sealed class Waiter
    {
        public TaskCompletionSource<CaseResult?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count { get; set; }
    }

    /// <summary>The latest result of every agent and case, by agent then case number.</summary>
    public IReadOnlyList<CaseResult> Results
    {
        get
        {
            lock (_gate)
            {
                return _results.Values.OrderBy(r => r.Agent, StringComparer.Ordinal).ThenBy(r => r.CaseIndex).ToArray();
            }
        }
    }

    /// <summary>The agents that asked for at least one case, in order of their first request.</summary>
    public IReadOnlyList<string> Agents
    {
        get
        {
            lock (_gate)
            {
                return _agents.ToArray();
            }
        }
    }

    /// <summary>Agent and case pairs somebody is waiting for right now (the state a question holds while it waits).</summary>
    public int PendingQuestions
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>
    /// Lets an agent in: true when it is known already or there is room for one more of at most
    /// <paramref name="maxAgents"/> (it is then known from here on); false when the run is full.
    /// </summary>
    public bool Admit(string agent, int maxAgents = int.MaxValue)
    {
        lock (_gate)
        {
            if (_known.Contains(agent))
            {
                return true;
            }

            if (_agents.Count >= maxAgents)
            {
                return false;
            }

            _known.Add(agent);
            _agents.Add(agent);
            return true;
        }
    }

    /// <summary>A case is being played for an agent until the returned handle is disposed (after its result is posted).</summary>
    public IDisposable BeginRun(string agent, string caseId)
    {
        var key = (agent, caseId);
        lock (_gate)
        {
            _running[key] = _running.GetValueOrDefault(key) + 1;
        }

        return new RunHandle(this, key);
    }

    /// <summary>Whether the case is being played for the agent right now.</summary>
    public bool IsRunning(string agent, string caseId)
    {
        lock (_gate)
        {
            return _running.ContainsKey((agent, caseId));
        }
    }

    private void EndRun((string Agent, string CaseId) key)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(key, out int count) && count > 1)
            {
                _running[key] = count - 1;
            }
            else
            {
                _running.Remove(key);
            }
        }
    }

    private sealed class RunHandle(ResultsBoard board, (string, string) key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                board.EndRun(key);
            }
        }
    }

    /// <summary>
    /// Posts a result; <paramref name="recorded"/> runs before the board shows it and before any waiter hears of it
    /// (so the case's file exists by then, also for an <c>/updateReports</c> that reads it back).
    /// </summary>
    public void Post(CaseResult result, Action<CaseResult> recorded)
    {
        Admit(result.Agent);
        recorded(result);
        var kept = summariesOnly ? result.Summary() : result;
        Waiter? waiter;
        lock (_gate)
        {
            if (!keepNone)
            {
                _results[(result.Agent, result.CaseId)] = kept;
            }

            _waiters.Remove((result.Agent, result.CaseId), out waiter);
        }

        waiter?.Done.TrySetResult(kept);
    }

    /// <summary>The result of a case for an agent if it is known now; nothing is kept for the question.</summary>
    public CaseResult? Find(string agent, string caseId)
    {
        lock (_gate)
        {
            return _results.GetValueOrDefault((agent, caseId));
        }
    }

    /// <summary>
    /// The result of a case for an agent: at once if known, else when it is posted; null when <paramref name="bound"/>
    /// passes, <paramref name="giveUp"/> completes, the board releases its waiters, or <paramref name="stop"/> fires
    /// first. The waiter's entry is removed when the last connection waiting for that pair stops waiting.
    /// </summary>
    public async Task<CaseResult?> WaitForAsync(string agent, string caseId, TimeSpan bound, Task giveUp, CancellationToken stop)
    {
        var key = (agent, caseId);
        Waiter waiter;
        lock (_gate)
        {
            if (_results.TryGetValue(key, out var known))
            {
                return known;
            }

            if (_released)
            {
                return null;
            }

            if (!_waiters.TryGetValue(key, out waiter!))
            {
                waiter = new Waiter();
                _waiters[key] = waiter;
            }

            waiter.Count++;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(bound);
            var first = await Task.WhenAny(waiter.Done.Task, giveUp, Task.Delay(Timeout.Infinite, timeout.Token)).ConfigureAwait(false);
            return first == waiter.Done.Task ? await waiter.Done.Task.ConfigureAwait(false) : null;
        }
        finally
        {
            lock (_gate)
            {
                if (--waiter.Count == 0 && _waiters.TryGetValue(key, out var current) && current == waiter)
                {
                    _waiters.Remove(key);
                }
            }
        }
    }

    /// <summary>The run is ending: every waiter stops waiting now (and is answered "not run yet"), and new ones do not wait.</summary>
    public void ReleaseWaiters()
    {
        Waiter[] waiting;
        lock (_gate)
        {
            _released = true;
            waiting = [.. _waiters.Values];
        }

        foreach (var waiter in waiting)
        {
            waiter.Done.TrySetResult(null);
        }
    }
}
