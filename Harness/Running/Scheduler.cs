using System.Collections.Concurrent;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>How the opening of a case's connection went: the fact the scheduler counts, never a reason's words.</summary>
internal enum Opening
{
    /// <summary>The opening handshake completed: the case was played.</summary>
    Completed,

    /// <summary>The target answered, but not with an acceptable 101 (e.g. a quick HTTP 400): that is the case's verdict.</summary>
    Refused,

    /// <summary>No TCP (or TLS) connection could be made.</summary>
    ConnectFailed,

    /// <summary>No complete answer to the handshake: none in time, or the connection ended before the answer did.</summary>
    NoAnswer,
}

/// <summary>A played case and how its opening went.</summary>
internal sealed record PlayedCase(CaseResult Result, Opening Opening)
{
    /// <summary>Signs of a dead target (issue 10 item 10): only these count towards giving the target up.</summary>
    public bool TargetSeemsDead => Opening is Opening.ConnectFailed or Opening.NoAnswer;
}

/// <summary>
/// Runs plan items serially or N at a time. Each case has its own connection and timers, so the
/// verdicts do not depend on the degree of parallelism. A target that cannot be connected to or does
/// not answer the opening handshake <see cref="GiveUpAfter"/> times in a row is given up: its remaining
/// cases are not run. A target that answers, even with an HTTP refusal, is alive and is played to the end.
/// </summary>
internal static class Scheduler
{
    public const int GiveUpAfter = 5;

    public static async Task<IReadOnlyList<CaseResult>> RunAsync(
        IReadOnlyList<PlanItem> plan,
        int parallel,
        Func<PlanItem, CancellationToken, Task<PlayedCase>> run,
        Action<CaseResult> finished,
        Action<string, string>? gaveUp,
        CancellationToken cancel)
    {
        var results = new CaseResult?[plan.Count];
        var deadInARow = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var abandoned = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancel };
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), options, async (i, token) =>
            {
                var item = plan[i];
                if (abandoned.ContainsKey(item.Agent))
                {
                    return;
                }

                var played = await run(item, token).ConfigureAwait(false);
                results[i] = played.Result;
                int inARow = played.TargetSeemsDead ? deadInARow.AddOrUpdate(item.Agent, 1, (_, n) => n + 1) : deadInARow[item.Agent] = 0;
                finished(played.Result);
                if (inARow >= GiveUpAfter && abandoned.TryAdd(item.Agent, true))
                {
                    gaveUp?.Invoke(item.Agent, $"{inARow} opening handshakes in a row failed; the remaining cases of '{item.Agent}' are not run");
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }

        return results.Where(r => r is not null).Select(r => r!).ToArray();
    }
}
