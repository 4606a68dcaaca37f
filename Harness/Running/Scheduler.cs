using System.Collections.Concurrent;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>One unit of work: a case against an agent, at its position in the selected list.</summary>
internal sealed record PlanItem<TTarget>(TTarget Target, string Agent, Cases.Scripting.Case Case, int Index);

/// <summary>
/// Runs plan items serially or N at a time. Each case has its own connection and timers, so the
/// verdicts do not depend on the degree of parallelism. An agent that fails the opening handshake
/// <see cref="GiveUpAfter"/> times in a row is given up: its remaining cases are not run.
/// </summary>
internal static class Scheduler
{
    public const int GiveUpAfter = 5;

    public static async Task<IReadOnlyList<CaseResult>> RunAsync<TTarget>(
        IReadOnlyList<PlanItem<TTarget>> plan,
        int parallel,
        Func<PlanItem<TTarget>, CancellationToken, Task<CaseResult>> run,
        Action<CaseResult> finished,
        Action<string, string>? gaveUp,
        CancellationToken cancel)
    {
        var results = new CaseResult?[plan.Count];
        var failuresInARow = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
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

                var result = await run(item, token).ConfigureAwait(false);
                results[i] = result;
                bool handshakeFailed = result.HttpResponse.Length == 0 || result.CloseReason.Contains("opening handshake never completed", StringComparison.Ordinal);
                int inARow = handshakeFailed ? failuresInARow.AddOrUpdate(item.Agent, 1, (_, n) => n + 1) : failuresInARow[item.Agent] = 0;
                finished(result);
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
