using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Broken;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Hostile;

/// <summary>
/// Issue 13.9: a peer that goes silent in the middle of a case with a long case timer (9.7.1 waits C(60) for 1000
/// round trips; 12.x and 13.x up to 480 s) costs the stall bound, not the timer: the timer is treated as fired, with
/// the same verdict and "no octet from the peer" in the reason. A peer that is slow but not silent keeps the timer.
/// </summary>
public sealed class StalledPeerTests
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    [Test]
    public async Task A_peer_silent_mid_case_ends_the_case_at_the_stall_bound_with_the_timers_verdict()
    {
        var timers = new Timers { Scale = 0.05 };
        var @case = CaseCatalogue.Find("9.7.1")!;
        var caseTimer = timers.Scaled(TimeSpan.FromSeconds(60));
        var stall = timers.Scaled(StallMonitor.Quiet + Watchdog.Pauses(@case));

        var result = await RunAsync(@case, new ScriptedServerOptions { AfterHandshake = c => c.StallAsync() }, timers);

        Assert.Multiple(() =>
        {
            Assert.That(result.Behavior, Is.EqualTo(Behavior.Failed));
            Assert.That(result.CloseBehavior, Is.EqualTo(CloseBehavior.Unclean), "the tester's close is never answered either");
            Assert.That(result.BehaviorReason, Does.StartWith("received 0 of 1000 "));
            Assert.That(result.BehaviorReason, Does.EndWith($"before the case timer (60 s), cut short: no octet from the peer for {stall.TotalSeconds:0.#} s fired"));
            Assert.That(result.DurationMs, Is.LessThan((stall + timers.Scaled(timers.CloseHandshake) + Slack).TotalMilliseconds), "the stall bound, the close timeout and slack");
            Assert.That(result.DurationMs, Is.LessThan(caseTimer.TotalMilliseconds), $"not the case timer ({caseTimer.TotalSeconds} s)");
        });
    }

    [Test]
    public async Task A_peer_that_keeps_sending_is_not_a_stall_and_gets_the_case_timer()
    {
        var timers = new Timers { Scale = 0.05 };
        var @case = CaseCatalogue.Find("9.7.1")!;
        var caseTimer = timers.Scaled(TimeSpan.FromSeconds(60));
        var stall = timers.Scaled(StallMonitor.Quiet);

        // Never echoes, but sends an unsolicited pong (allowed, RFC 6455 §5.5.3) four times per stall bound.
        var result = await RunAsync(@case, new ScriptedServerOptions
        {
            AfterHandshake = async c =>
            {
                while (!c.Cancel.IsCancellationRequested)
                {
                    await c.WriteFrameAsync(0xA, "alive"u8);
                    await Task.Delay(stall / 4, c.Cancel);
                }
            },
        }, timers);

        Assert.Multiple(() =>
        {
            Assert.That(result.Behavior, Is.EqualTo(Behavior.Failed));
            Assert.That(result.BehaviorReason, Does.Contain("before the case timer (60 s) fired"));
            Assert.That(result.BehaviorReason, Does.Not.Contain("no octet"));
            Assert.That(result.DurationMs, Is.GreaterThanOrEqualTo(caseTimer.TotalMilliseconds * 0.95), "the case timer, not the stall bound");
        });
    }

    private static async Task<CaseResult> RunAsync(Conformance.Cases.Scripting.Case @case, ScriptedServerOptions options, Timers timers)
    {
        await using var server = ScriptedServer.Start(options);
        var plan = RunPlan.ForServers([server.Target()], [@case]);
        using var abort = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var results = await ServerTesting.RunAsync(new ServerTestOptions { Plan = plan, Timers = timers }, _ => { }, null, abort.Token);
        return results.Single();
    }
}
