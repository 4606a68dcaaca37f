using System.Diagnostics;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// One generated case against a server through the same pieces as every catalogue case: the client
/// opening (<see cref="ClientOpening"/>), the <see cref="CaseRunner"/> and the judge.
/// </summary>
internal static class ServerCaseRun
{
    public static RunCase For(ServerTarget target, Timers timers, bool verbose = false, Action<string>? echo = null)
    {
        var opening = new ClientOpening(timers);
        var runner = new CaseRunner(timers);
        return async (@case, index, cancel) =>
        {
            var clock = Stopwatch.StartNew();
            var started = DateTimeOffset.UtcNow;
            var log = new WireRecorder(clock, verbose, echo is null ? null : line => echo($"[{target.Agent} {@case.Id}] {line}"));
            var outcome = await opening.OpenAsync(target, @case, log, clock, started, cancel).ConfigureAwait(false);
            var seen = outcome.Opened is { } opened ? await runner.PlayAsync(opened, log, clock, cancel).ConfigureAwait(false) : outcome.Failed!;
            return CaseRunner.Result(target.Agent, @case, index, seen);
        };
    }
}
