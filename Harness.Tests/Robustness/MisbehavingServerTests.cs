using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Conformance.Cases;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using Conformance.Tests.Broken;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Robustness;

/// <summary>
/// Servers that misbehave below the level of the catalogue: broken handshakes, stalls, resets,
/// floods, impossible frames, hostile text. Each run must give every case a sensible verdict
/// (RFC 6455 and the spec's §2 rules) within a bound derived from the timers, go on to the next
/// case, finish, let no exception escape and keep memory bounded.
/// </summary>
[Integration]
public sealed partial class MisbehavingServerTests
{
    /// <summary>Slack on top of the timers for connecting, scheduling and a loaded machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    /// <summary>Slack on top of one case's watchdog.</summary>
    private static readonly TimeSpan CaseSlack = TimeSpan.FromSeconds(0.5);

    private const long MemoryBound = 300L * 1024 * 1024;

    private static readonly Timers Fifth = new() { Scale = 0.2 };

    private static readonly string[] ThreeCases = ["1.1.1", "1.1.2", "2.1"];

    // ---- the opening handshake ----

    [Test]
    public async Task A_server_that_never_answers_the_handshake_times_out_on_each_case()
    {
        var timers = new Timers { Scale = 0.2, OpenHandshake = TimeSpan.FromSeconds(2) };
        var run = await RunAsync(new ScriptedServerOptions { Handshake = HandshakeFault.NeverAnswers }, ThreeCases, timers);

        run.AssertWithin(3 * timers.Scaled(timers.OpenHandshake) + Slack);
        run.AssertAllHandshakesFailed("no complete handshake response within 0.4 s");
        Assert.That(run.Results.Select(r => r.Closing.WasOpenHandshakeTimeout), Is.All.True);
    }

    [TestCase(HandshakeFault.NotFound, "'HTTP/1.1 404 Not Found' instead of 101")]
    [TestCase(HandshakeFault.Garbage, "is not HTTP/1.1")]
    [TestCase(HandshakeFault.GarbageThenClose, "closed the connection in the middle of its handshake response")]
    [TestCase(HandshakeFault.WrongAccept, "Sec-WebSocket-Accept does not match the key")]
    [TestCase(HandshakeFault.EndlessHeaderLine, "exceeds 16384 octets without ending")]
    public async Task A_broken_handshake_response_fails_each_case_at_once(HandshakeFault fault, string reason)
    {
        // The open-handshake timer is long here: each of these must be recognised on its own, not by timing out.
        var timers = new Timers { OpenHandshake = TimeSpan.FromSeconds(30) };
        var run = await RunAsync(new ScriptedServerOptions { Handshake = fault }, ThreeCases, timers);

        run.AssertWithin(Slack);
        run.AssertAllHandshakesFailed(reason);
        Assert.Multiple(() =>
        {
            Assert.That(run.Results.Select(r => r.Closing.WasOpenHandshakeTimeout), Is.All.False);
            Assert.That(run.Results.Select(r => r.HttpResponse.Length), Is.All.LessThan(2048), "what the report keeps of the response is bounded");
        });
    }

    [Test]
    public async Task An_agent_whose_handshakes_keep_failing_is_given_up()
    {
        var timers = new Timers { Scale = 0.2, OpenHandshake = TimeSpan.FromSeconds(1) };
        var cases = CaseSelection.Select(CaseCatalogue.All, ["1.*"], []).Take(Scheduler.GiveUpAfter + 4).ToArray();
        var run = await RunAsync(new ScriptedServerOptions { Handshake = HandshakeFault.NeverAnswers }, cases.Select(c => c.Id.Text).ToArray(), timers, parallel: 1);

        run.AssertWithin(Scheduler.GiveUpAfter * timers.Scaled(timers.OpenHandshake) + Slack);
        Assert.Multiple(() =>
        {
            Assert.That(run.Results, Has.Count.EqualTo(Scheduler.GiveUpAfter), "the cases after the give-up are not run");
            Assert.That(run.Results.Select(r => r.CaseId), Is.EqualTo(cases.Take(Scheduler.GiveUpAfter).Select(c => c.Id.Text)));
            Assert.That(run.Server.Accepted, Is.EqualTo(Scheduler.GiveUpAfter), "no connection was made for the rest");
            Assert.That(run.Log, Has.Some.Contains($"{Scheduler.GiveUpAfter} opening handshakes in a row failed"));
        });
    }

    // ---- after the handshake ----

    [Test]
    public async Task A_server_that_stalls_mid_case_gets_verdicts_from_the_timers()
    {
        var run = await RunAsync(new ScriptedServerOptions { AfterHandshake = Misbehaviours.Stall }, ["1.1.1", "2.1", "3.1"], Fifth);

        // Each case: its K(1) or C(1) timer, then the close-handshake timeout (the close is never answered).
        run.AssertWithin(3 * (Fifth.Scaled(TimeSpan.FromSeconds(1)) + Fifth.Scaled(Fifth.CloseHandshake)) + Slack);
        run.AssertVerdicts(
            ("1.1.1", Behavior.Failed, CloseBehavior.Unclean),  // no echo; the tester's close is never answered
            ("2.1", Behavior.Failed, CloseBehavior.Unclean),    // no pong; the same
            ("3.1", Behavior.Ok, CloseBehavior.Failed));        // nothing echoed is right, but the tester had to close: wrong endpoint
        Assert.That(run.Results.Select(r => r.Closing.WasCloseHandshakeTimeout), Is.All.True);
    }

    [Test]
    public async Task A_server_that_stops_reading_while_the_tester_writes_16_MiB_does_not_deadlock()
    {
        // 9.1.6 waits C(100) for the echo; at 1/50 that is 2 s. The open-handshake timer is kept at 2 s too.
        var timers = new Timers { Scale = 0.02, OpenHandshake = TimeSpan.FromSeconds(100) };
        var run = await RunAsync(new ScriptedServerOptions { AfterHandshake = Misbehaviours.Stall }, ["9.1.6", "1.1.1", "2.1"], timers);

        run.AssertWithin(timers.Scaled(TimeSpan.FromSeconds(100)) + 2 * timers.Scaled(TimeSpan.FromSeconds(1)) + 3 * timers.Scaled(timers.CloseHandshake) + Slack);
        run.AssertMemoryBelow(MemoryBound);
        run.AssertVerdicts(
            ("9.1.6", Behavior.Failed, CloseBehavior.Unclean),  // no echo before C(100); the close never even leaves (the socket is full)
            ("1.1.1", Behavior.Failed, CloseBehavior.Unclean),
            ("2.1", Behavior.Failed, CloseBehavior.Unclean));
        var big = run.Results[0];
        Assert.Multiple(() =>
        {
            Assert.That(big.BehaviorReason, Does.Contain("received 0 of 1"));
            Assert.That(big.Stats.TxOctets, Is.LessThan(16L * 1024 * 1024), "the server stopped reading, so not all of the 16 MiB could leave");
        });
    }

    [Test]
    public async Task A_connection_reset_mid_case_is_a_drop_by_the_peer()
    {
        var run = await RunAsync(new ScriptedServerOptions { AfterHandshake = Misbehaviours.ResetAfterFirstOctets }, ["1.1.1", "3.1", "2.1"], Fifth);

        run.AssertWithin(Slack);
        run.AssertVerdicts(
            ("1.1.1", Behavior.Failed, CloseBehavior.Failed),   // no echo; the peer ended it though the tester was to close
            ("3.1", Behavior.Ok, CloseBehavior.Ok),             // where the peer must fail the connection, dropping TCP is allowed (§0.7)
            ("2.1", Behavior.Failed, CloseBehavior.Failed));
        Assert.That(run.Results.Select(r => r.Closing.DroppedByMe), Is.All.False, "the peer dropped, not the tester");
    }

    [Test]
    public async Task A_server_flooding_text_messages_is_cut_off_by_the_timers_with_bounded_memory()
    {
        var run = await RunAsync(new ScriptedServerOptions { AfterHandshake = Misbehaviours.FloodText }, ["1.1.1", "2.1", "3.1"], Fifth);

        run.AssertWithin(3 * (Fifth.Scaled(TimeSpan.FromSeconds(1)) + Fifth.Scaled(Fifth.CloseHandshake)) + Slack);
        run.AssertMemoryBelow(MemoryBound);
        run.AssertVerdicts(
            ("1.1.1", Behavior.Failed, CloseBehavior.Unclean),
            ("2.1", Behavior.Failed, CloseBehavior.Unclean),
            ("3.1", Behavior.Failed, CloseBehavior.Failed));
        Assert.That(run.Results.Select(r => r.Received.Count), Is.All.InRange(1, 10_000), "events kept per case are capped");
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_server_flooding_pings_is_cut_off_by_the_timers_with_bounded_memory(bool serverReads)
    {
        var run = await RunAsync(new ScriptedServerOptions { AfterHandshake = serverReads ? Misbehaviours.FloodPings : Misbehaviours.FloodPingsWithoutReading },
            ["1.1.1", "2.1", "1.1.2"], Fifth);

        run.AssertWithin(3 * (Fifth.Scaled(TimeSpan.FromSeconds(1)) + Fifth.Scaled(Fifth.CloseHandshake)) + Slack);
        run.AssertMemoryBelow(MemoryBound);
        run.AssertVerdicts(
            ("1.1.1", Behavior.Failed, CloseBehavior.Unclean),  // pings are answered, not recorded: no echo, and no close answer
            ("2.1", Behavior.Failed, CloseBehavior.Unclean),
            ("1.1.2", Behavior.Failed, CloseBehavior.Unclean));
    }

    [Test]
    public async Task Pings_that_arrive_while_the_tester_cannot_write_get_one_pong_for_the_latest()
    {
        // 9.1.6 sends 16 MiB: with nobody reading, the tester's writer is stuck in it while 5000 pings arrive.
        // RFC 6455 §5.5.3 allows answering only the most recent ping; queueing 5000 pongs is what a flood exploits.
        var pongs = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await RunAsync(new ScriptedServerOptions { AfterHandshake = c => Misbehaviours.PingsWhileTheTesterCannotWrite(c, 5000, pongs) }, ["9.1.6"], Fifth);

        Assert.That(pongs, Is.Not.Empty.And.Count.LessThanOrEqualTo(2), string.Join(", ", pongs.Take(10)));
        Assert.That(pongs.Last(), Is.EqualTo("p4999"), "the pong answers the latest ping");
    }

    [Test]
    public async Task A_frame_announcing_2_to_the_63rd_octets_is_streamed_not_buffered()
    {
        var run = await RunAsync(new ScriptedServerOptions { AfterHandshake = Misbehaviours.EndlessFrame }, ThreeCases, Fifth);

        run.AssertWithin(3 * (Fifth.Scaled(TimeSpan.FromSeconds(1)) + Fifth.Scaled(Fifth.CloseHandshake)) + Slack);
        run.AssertMemoryBelow(MemoryBound);
        run.AssertVerdicts(
            ("1.1.1", Behavior.Failed, CloseBehavior.Unclean),  // the message never ends: no echo, the close is never answered
            ("1.1.2", Behavior.Failed, CloseBehavior.Unclean),
            ("2.1", Behavior.Failed, CloseBehavior.Unclean));
        Assert.That(run.Results.Select(r => r.WireLog.Any(e => e.Note?.Contains($"of {long.MaxValue} payload octets", StringComparison.Ordinal) == true)), Is.All.True,
            "the log says the connection ended inside the endless frame");
    }

    [Test]
    public async Task A_64_bit_length_with_the_top_bit_set_fails_the_connection_at_once()
    {
        var run = await RunAsync(new ScriptedServerOptions { AfterHandshake = Misbehaviours.TopBitLength }, ThreeCases, Fifth);

        run.AssertWithin(Slack);
        run.AssertVerdicts(
            ("1.1.1", Behavior.Failed, CloseBehavior.Unclean),  // the tester fails the connection (1002) and must drop TCP: frame boundaries are lost
            ("1.1.2", Behavior.Failed, CloseBehavior.Unclean),
            ("2.1", Behavior.Failed, CloseBehavior.Unclean));
        Assert.Multiple(() =>
        {
            Assert.That(run.Results.Select(r => r.Closing.LocalCloseCode), Is.All.EqualTo(1002));
            Assert.That(run.Results.Select(r => r.Closing.DroppedByMe), Is.All.True);
            Assert.That(run.Results.Select(r => r.WireLog.Any(e => e.Note?.Contains("most significant bit set", StringComparison.Ordinal) == true)), Is.All.True);
        });
    }

    [Test]
    public async Task A_masked_frame_from_the_server_fails_the_connection()
    {
        var run = await RunAsync(new ScriptedServerOptions { MasksItsFrames = true }, ["1.1.1", "1.1.2", "2.2"], Fifth);

        run.AssertWithin(Slack);
        run.AssertVerdicts(
            ("1.1.1", Behavior.Failed, CloseBehavior.Unclean),  // the masked echo is refused (1002); the server's masked close reply is refused too
            ("1.1.2", Behavior.Failed, CloseBehavior.Unclean),
            ("2.2", Behavior.Failed, CloseBehavior.Unclean));   // the masked pong is not recorded
        Assert.Multiple(() =>
        {
            Assert.That(run.Results.Select(r => r.Closing.LocalCloseCode), Is.All.EqualTo(1002));
            Assert.That(run.Results.Select(r => r.Received.Count), Is.All.EqualTo(0), "nothing from a masked frame is recorded");
            Assert.That(run.Results.Select(r => r.WireLog.Any(e => e.Note?.Contains("server frame is masked", StringComparison.Ordinal) == true)), Is.All.True);
        });
    }

    [Test]
    public async Task A_hostile_close_reason_is_kept_verbatim_and_escaped_in_the_report()
    {
        var run = await RunAsync(new ScriptedServerOptions { AfterHandshake = Misbehaviours.CloseWithHostileReason }, ThreeCases, Fifth);

        run.AssertWithin(Slack);
        run.AssertVerdicts(
            ("1.1.1", Behavior.Failed, CloseBehavior.Failed),   // the server closed first: wrong endpoint, and no echo
            ("1.1.2", Behavior.Failed, CloseBehavior.Failed),
            ("2.1", Behavior.Failed, CloseBehavior.Failed));
        Assert.Multiple(() =>
        {
            foreach (var r in run.Results)
            {
                Assert.That(r.Closing.RemoteCloseCode, Is.EqualTo(1000), r.CaseId);
                Assert.That(r.Closing.RemoteCloseReason, Is.EqualTo(Misbehaviours.HostileReason), r.CaseId);
                Assert.That(r.Closing.WasClean, Is.True, $"{r.CaseId}: a valid close with an odd reason is still a closing handshake");
                string json = Encoding.UTF8.GetString(new CaseJsonWriter().Render(r));
                Assert.That(json, Does.Not.Contain("<script>"), $"{r.CaseId}: the per-case JSON escapes markup");
                Assert.That(json.Where(c => char.IsControl(c) && c != '\n'), Is.Empty, $"{r.CaseId}: the per-case JSON escapes control characters");
                using var parsed = JsonDocument.Parse(json);
                Assert.That(parsed.RootElement.GetProperty("remoteCloseReason").GetString(), Is.EqualTo(Misbehaviours.HostileReason), $"{r.CaseId}: the JSON keeps the reason exactly");
            }
        });
    }

    [Test]
    public async Task A_close_reason_that_is_not_UTF8_is_refused_with_1007()
    {
        var run = await RunAsync(new ScriptedServerOptions { AfterHandshake = Misbehaviours.CloseWithInvalidUtf8Reason }, ThreeCases, Fifth);

        run.AssertWithin(Slack);
        run.AssertVerdicts(
            // The invalid reason makes the tester fail the connection: its 1007 goes first, so the tester is the
            // closer (Autobahn's closedByMe, issue 10 item 1) and the server's frame its clean answer with 1000.
            ("1.1.1", Behavior.Failed, CloseBehavior.Ok),
            ("1.1.2", Behavior.Failed, CloseBehavior.Ok),
            ("2.1", Behavior.Failed, CloseBehavior.Ok));
        Assert.Multiple(() =>
        {
            foreach (var r in run.Results)
            {
                Assert.That(r.Closing.RemoteCloseCode, Is.EqualTo(1000), r.CaseId);
                Assert.That(r.Closing.RemoteCloseReason, Is.EqualTo("0xfffe61"), $"{r.CaseId}: invalid octets are kept as hex");
                Assert.That(r.Closing.LocalCloseCode, Is.EqualTo(1007), $"{r.CaseId}: the tester answers with 1007 (RFC 6455 §8.1)");
                Assert.That(r.Closing.FailedByMe, Is.True, r.CaseId);
            }
        });
    }
}
