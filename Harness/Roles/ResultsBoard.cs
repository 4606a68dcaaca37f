using Conformance.Reports.Model;

namespace Conformance.Harness.Roles;

/// <summary>
/// Client testing's results as the clients see them: the latest result of every agent and case (a case run
/// again replaces the earlier result), the agents in order of their first request, and waiters for
/// <c>/getCaseStatus</c> that asked before the case ended. Safe to use from any thread.
/// </summary>
internal sealed class ResultsBoard
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Agent, string CaseId), CaseResult> _results = [];
    private readonly Dictionary<(string Agent, string CaseId), TaskCompletionSource<CaseResult>> _waiters = [];
    private readonly List<string> _agents = [];

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

    public void NoteAgent(string agent)
    {
        lock (_gate)
        {
            if (!_agents.Contains(agent, StringComparer.Ordinal))
            {
                _agents.Add(agent);
            }
        }
    }

    /// <summary>Posts a result; <paramref name="recorded"/> runs before any waiter hears of it (so the case's file exists by then).</summary>
    public void Post(CaseResult result, Action<CaseResult> recorded)
    {
        NoteAgent(result.Agent);
        TaskCompletionSource<CaseResult>? waiter;
        lock (_gate)
        {
            _results[(result.Agent, result.CaseId)] = result;
            _waiters.Remove((result.Agent, result.CaseId), out waiter);
        }

        recorded(result);
        waiter?.TrySetResult(result);
    }

    /// <summary>The result of a case for an agent: at once if known, else when it is posted; null if <paramref name="giveUp"/> completes first or <paramref name="stop"/> fires.</summary>
    public async Task<CaseResult?> WaitForAsync(string agent, string caseId, Task giveUp, CancellationToken stop)
    {
        Task<CaseResult> pending;
        lock (_gate)
        {
            if (_results.TryGetValue((agent, caseId), out var known))
            {
                return known;
            }

            if (!_waiters.TryGetValue((agent, caseId), out var waiter))
            {
                waiter = new TaskCompletionSource<CaseResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters[(agent, caseId)] = waiter;
            }

            pending = waiter.Task;
        }

        var first = await Task.WhenAny(pending, giveUp, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
        return first == pending && pending.IsCompletedSuccessfully ? pending.Result : null;
    }

    /// <summary>The run is ending: every waiter gives up.</summary>
    public void CancelWaiters()
    {
        lock (_gate)
        {
            foreach (var waiter in _waiters.Values)
            {
                waiter.TrySetCanceled();
            }
        }
    }
}
