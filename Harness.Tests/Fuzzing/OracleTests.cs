using Conformance.Cases.Fuzzing;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>The oracle against hand-built scripts, and its predictions through the judge, including the RFC's latitude.</summary>
public sealed class OracleTests
{
    private static readonly Payload A = Payload.Text("a");
    private static readonly Payload B = Payload.Text("b");
    private static readonly Payload C = Payload.Text("c");

    private static SendFrame Send(Frame frame) => new(frame);

    private static Frame Ping(Payload p) => Frame.Ping(p);

    [Test]
    public void Pings_and_messages_are_answered_in_order_and_the_tester_closes()
    {
        var p = Oracle.Predict([Send(Ping(A)), Send(Frame.Text("hi")), Send(Ping(B)), new StartClose(1000)]);
        Assert.Multiple(() =>
        {
            Assert.That(p.IsValid);
            Assert.That(p.Events, Is.EqualTo(new Event[] { PongEvent.Expect(A), MessageEvent.Expect(Payload.Text("hi"), false), PongEvent.Expect(B) }));
            Assert.That(p.Close.ClosedByTester && p.Close.RequireClean);
            Assert.That(p.EchoesBeforeClose, Is.EqualTo(1));
        });
    }

    [Test]
    public void Only_the_latest_of_several_unanswered_pings_may_be_answered()
    {
        Event[] expected = [PongEvent.Expect(A), PongEvent.Expect(B), PongEvent.Expect(C)];
        Assert.Multiple(() =>
        {
            Assert.That(LatitudeMatch.Mismatch(expected, [PongEvent.Expect(C)]), Is.Null, "§5.5.3: only the most recent");
            Assert.That(LatitudeMatch.Mismatch(expected, [PongEvent.Expect(A), PongEvent.Expect(C)]), Is.Null);
            Assert.That(LatitudeMatch.Mismatch(expected, [PongEvent.Expect(A), PongEvent.Expect(B)]), Does.Contain("last ping"), "the latest ping must be answered");
            Assert.That(LatitudeMatch.Mismatch(expected, [PongEvent.Expect(C), PongEvent.Expect(A)]), Does.Contain("answers no ping"), "out of order");
            Assert.That(LatitudeMatch.Mismatch(expected, [PongEvent.Expect(C), PongEvent.Expect(C)]), Does.Contain("answers no ping"), "one pong too many");
        });
    }

    [Test]
    public void Pongs_and_echoes_may_interleave_but_echoes_keep_their_order()
    {
        var hi = MessageEvent.Expect(Payload.Text("hi"), false);
        var ho = MessageEvent.Expect(Payload.Text("ho"), false);
        Event[] expected = [hi, PongEvent.Expect(A), ho];
        Assert.Multiple(() =>
        {
            Assert.That(LatitudeMatch.Mismatch(expected, [PongEvent.Expect(A), hi, ho]), Is.Null);
            Assert.That(LatitudeMatch.Mismatch(expected, [ho, PongEvent.Expect(A), hi]), Does.Contain("differs"));
            Assert.That(LatitudeMatch.Mismatch(expected, [hi, PongEvent.Expect(A)]), Does.Contain("missing"));
        });
    }

    [Test]
    public void A_violation_ends_the_expected_events_and_the_peer_must_fail_with_1002()
    {
        var p = Oracle.Predict([Send(Ping(A)), Send(new Frame(1, Payload.Text("x"), Rsv: 2)), Send(Ping(B))]);
        Assert.Multiple(() =>
        {
            Assert.That(p.Violation, Is.EqualTo(ViolationClass.ReservedBits));
            Assert.That(p.ViolationAt, Is.EqualTo(1));
            Assert.That(p.Events, Is.EqualTo(new Event[] { PongEvent.Expect(A) }));
            Assert.That(p.Close.ClosedByTester, Is.False);
            Assert.That(p.Close.Codes, Is.EqualTo(new[] { 1002 }));
        });
    }

    [Test]
    public void Invalid_fragmented_text_failed_at_its_end_is_NON_STRICT()
    {
        // "κ" is CE BA; CE followed by 41 is invalid in the second fragment; a ping sits between fragments 2 and 3.
        var p = Oracle.Predict([
            Send(new Frame(1, Payload.Hex("61CE"), Fin: false)),
            Send(Ping(A)),
            Send(new Frame(0, Payload.Hex("4162"), Fin: false)),
            Send(Ping(B)),
            Send(new Frame(0, Payload.Hex("63"), Fin: true)),
        ]);
        Assert.Multiple(() =>
        {
            Assert.That(p.Violation, Is.EqualTo(ViolationClass.InvalidUtf8));
            Assert.That(p.Events, Is.EqualTo(new Event[] { PongEvent.Expect(A) }), "fail fast: at the second fragment");
            Assert.That(p.NonStrict, Has.Count.EqualTo(1));
            Assert.That(p.NonStrict[0], Is.EqualTo(new Event[] { PongEvent.Expect(A), PongEvent.Expect(B) }), "failing at the end answers the second ping too");
            Assert.That(p.Close.Codes, Is.EquivalentTo(new[] { 1007, 1002 }), "1002 and 1007 both fit");
        });
    }

    [Test]
    public void A_code_point_split_across_fragments_is_valid_and_a_cut_one_at_the_end_is_not()
    {
        var split = Oracle.Predict([Send(new Frame(1, Payload.Hex("CE"), Fin: false)), Send(new Frame(0, Payload.Hex("BA"), Fin: true))]);
        var cut = Oracle.Predict([Send(new Frame(1, Payload.Hex("61CE"), Fin: true))]);
        Assert.Multiple(() =>
        {
            Assert.That(split.IsValid && split.Events.Count == 1);
            Assert.That(cut.Violation, Is.EqualTo(ViolationClass.InvalidUtf8));
        });
    }

    [TestCase((ushort)1000, new[] { 1000 })]
    [TestCase((ushort)3000, new[] { 3000, 1000 })]
    [TestCase((ushort)1013, new[] { 1013, 1000, 1002 })]
    [TestCase((ushort)1005, new[] { 1002 })]
    [TestCase((ushort)999, new[] { 1002 })]
    [TestCase((ushort)5000, new[] { 1002 })]
    public void Close_codes_get_the_answers_the_RFC_allows(ushort code, int[] answers)
    {
        var p = Oracle.Predict([new StartClose(code, Payload.Empty)]);
        Assert.That(p.Close.Codes, Is.EqualTo(answers));
        Assert.That(p.Close.ClosedByTester);
    }

    [Test]
    public void Close_payloads_of_1_octet_124_octet_reasons_and_invalid_reasons_are_errors()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Oracle.Predict([new StartCloseRaw(Payload.Of(3))]).Violation, Is.EqualTo(ViolationClass.ClosePayloadLength));
            Assert.That(Oracle.Predict([new StartClose(1000, Payload.Repeat((byte)'a', 123))]).IsValid, "123 octets fit");
            Assert.That(Oracle.Predict([new StartClose(1000, Payload.Repeat((byte)'a', 124))]).Violation, Is.EqualTo(ViolationClass.ClosePayloadLength));
            Assert.That(Oracle.Predict([new StartClose(1000, Payload.Hex("61E282"))]).Violation, Is.EqualTo(ViolationClass.CloseReasonUtf8), "cut inside a code point");
        });
    }

    [Test]
    public void A_non_minimal_length_may_be_taken_or_refused()
    {
        var frame = Frame.Text("x") with { LengthEncoding = LengthEncoding.Forced16 };
        var @case = FuzzCase.Build("100.0.1", [Send(Ping(A)), Send(frame)], null, out var p);
        Assert.That(p.IsValid);
        Assert.That(p.Refusal, Is.Not.Null);

        var refused = Seen([PongEvent.Expect(A)], remoteCode: 1002, closedByMe: false);
        var verdicts = Judge.Decide(@case, refused);
        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)), verdicts.BehaviorReason);

        var taken = Seen([PongEvent.Expect(A), MessageEvent.Expect(Payload.Text("x"), false)], remoteCode: 1000, closedByMe: true);
        verdicts = Judge.Decide(@case, taken);
        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)), verdicts.BehaviorReason + " / " + verdicts.CloseReason);
    }

    [Test]
    public void A_large_message_refused_with_1009_or_1008_is_a_limit_not_a_failure()
    {
        var big = Send(Frame.Binary(Payload.Repeat(7, 70_000)));
        var @case = FuzzCase.Build("100.0.2", [big], null, out _);
        foreach (int code in new[] { 1009, 1008 })
        {
            var verdicts = Judge.Decide(@case, Seen([], remoteCode: code, closedByMe: false));
            Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Informational, CloseBehavior.Informational)), verdicts.BehaviorReason);
        }

        var small = FuzzCase.Build("100.0.3", [Send(Frame.Text("tiny"))], null, out _);
        Assert.That(Judge.Decide(small, Seen([], remoteCode: 1009, closedByMe: false)).Close, Is.EqualTo(CloseBehavior.Failed), "a 4-octet message is no size limit");
    }

    [Test]
    public void The_judge_gives_NON_STRICT_for_the_late_failure_and_FAILED_for_a_missing_pong()
    {
        var @case = FuzzCase.Build("100.0.4", [
            Send(new Frame(1, Payload.Hex("C0"), Fin: false)),
            Send(Ping(A)),
            Send(new Frame(0, Payload.Hex("61"), Fin: true)),
        ], null, out _);
        var late = Judge.Decide(@case, Seen([PongEvent.Expect(A)], remoteCode: 1007, closedByMe: false));
        var fast = Judge.Decide(@case, Seen([], remoteCode: 1007, closedByMe: false));
        Assert.That(late.Behavior, Is.EqualTo(Behavior.NonStrict), late.BehaviorReason);
        Assert.That(fast.Behavior, Is.EqualTo(Behavior.Ok), fast.BehaviorReason);

        var pings = FuzzCase.Build("100.0.5", [Send(Ping(A)), Send(Ping(B))], null, out _);
        Assert.That(Judge.Decide(pings, Seen([PongEvent.Expect(B)], 1000, true)).Behavior, Is.EqualTo(Behavior.Ok), "§5.5.3");
        Assert.That(Judge.Decide(pings, Seen([PongEvent.Expect(A)], 1000, true)).Behavior, Is.EqualTo(Behavior.Failed));
    }

    [Test]
    public void Invalid_text_in_a_message_that_never_ends_may_go_unfailed_NON_STRICT()
    {
        // Found against ws (seed 20261205, 101.0.2649/16020): ws checks text when its message ends, and this one never ends.
        var @case = FuzzCase.Build("100.0.6", [
            Send(new Frame(1, Payload.Hex("EF"), Fin: false)),
            Send(new Frame(0, Payload.Hex("7D"), Fin: false)),
            Send(Ping(A)),
        ], null, out var p);
        Assert.That(p.InvalidTextUnfinished, Is.True);

        var waited = Seen([PongEvent.Expect(A)], remoteCode: 1001, closedByMe: true) with { TimerFired = "K" };
        var verdicts = Judge.Decide(@case, waited);
        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.NonStrict, CloseBehavior.Ok)), verdicts.BehaviorReason + " / " + verdicts.CloseReason);

        var failedFast = Judge.Decide(@case, Seen([], remoteCode: 1007, closedByMe: false));
        Assert.That((failedFast.Behavior, failedFast.Close), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)), failedFast.BehaviorReason);

        var noCloseAnswer = Seen([PongEvent.Expect(A)], remoteCode: 1001, closedByMe: true) with { TimerFired = "K" };
        noCloseAnswer = noCloseAnswer with { Closing = noCloseAnswer.Closing with { WasClean = false, RemoteCloseCode = null } };
        Assert.That(Judge.Decide(@case, noCloseAnswer).Close, Is.EqualTo(CloseBehavior.Failed), "neither failing the text nor answering the close");

        var closedInside = FuzzCase.Build("100.0.7", [Send(new Frame(1, Payload.Hex("C0"), Fin: false)), new StartClose(1000)], null, out var q);
        Assert.That(q.InvalidTextUnfinished, Is.True, "the tester's close comes before the message's end");
        var answered = Judge.Decide(closedInside, Seen([], remoteCode: 1000, closedByMe: true));
        Assert.That(answered.Behavior, Is.EqualTo(Behavior.NonStrict), answered.BehaviorReason);
    }

    [Test]
    public void A_tolerated_refusal_is_given_time_before_a_close_the_peer_could_echo_with_the_same_code()
    {
        // Found against ws: a ping with a 16-bit length, then close 1002. ws refuses the length with 1002; had the
        // tester's close gone first, that 1002 could not be told from an echo of the tester's own.
        var ping16 = Ping(Payload.Of([])) with { LengthEncoding = LengthEncoding.Forced16 };
        var @case = FuzzCase.Build("100.0.8", [Send(ping16), new StartClose(1002)], null, out _);
        int pause = @case.Script.ToList().FindIndex(s => s is Pause);
        int close = @case.Script.ToList().FindIndex(s => s is StartClose);
        Assert.That(pause, Is.GreaterThanOrEqualTo(0).And.LessThan(close));
        Assert.That(((Pause)@case.Script[pause]).Duration, Is.EqualTo(FuzzCase.RefusalGrace));

        var plain = FuzzCase.Build("100.0.9", [Send(ping16), new StartClose(1000)], null, out _);
        Assert.That(plain.Script.OfType<Pause>(), Is.Empty, "a close answered with 1000 cannot be mistaken for a refusal");
    }

    [Test]
    public void The_case_timer_starts_when_the_tester_has_sent_what_it_can_without_waiting()
    {
        // Found against ws under load: 1 400 one-octet writes took longer than the 2 s timer armed at the script's start.
        var valid = FuzzCase.Build("100.0.10", [Send(Frame.Text("a")), Send(Frame.Binary(Payload.Repeat(1, 900))), Send(Ping(A))], null, out _);
        var steps = valid.Script.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(steps[0], Is.EqualTo(new ArmKill(FuzzCase.WriteBound)), "only a stuck write meets the bound");
            int timer = steps.FindIndex(s => s is ArmCloseAfter);
            Assert.That(timer, Is.EqualTo(steps.FindLastIndex(s => s is SendFrame) + 2), "C is armed after the last send");
            Assert.That(steps[timer - 1], Is.InstanceOf<AwaitWritten>(), "once the queued writes have left");
            Assert.That(steps.Skip(timer + 1).Take(2), Has.All.InstanceOf<AwaitMessage>(), "then the echoes are awaited");
        });

        var invalid = FuzzCase.Build("100.0.11", [Send(Frame.Text("a")), Send(new Frame(0, Payload.Text("x")))], null, out _);
        var kill = invalid.Script.ToList().FindIndex(s => s is ArmKill { After.TotalSeconds: 2 });
        Assert.That(kill, Is.GreaterThan(1), "K is armed before the violation, after the sends that precede it");
        Assert.That(FuzzCase.ActionsOf(invalid), Has.Count.EqualTo(2), "timers and waits are not actions");
    }

    private static Observations Seen(IReadOnlyList<Event> events, int remoteCode, bool closedByMe) => new()
    {
        HandshakeCompleted = true,
        Events = events,
        Closing = new CloseDetails { ClosedByMe = closedByMe, WasClean = true, RemoteCloseCode = remoteCode, LocalCloseCode = closedByMe ? 1000 : remoteCode },
    };
}
