using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Running;

/// <summary>
/// The verdict rules of the spec (§2.2 behaviour, §2.3 close, the case-specific overrides) as pure
/// unit tests of <see cref="Judge.Decide"/>: observations are built by hand, no socket is involved.
/// </summary>
public sealed class JudgeTests
{
    private static readonly Event HelloWorld = MessageEvent.Expect(Payload.Text("Hello, world!"), false);
    private static readonly Event EmptyText = MessageEvent.Expect(Payload.Empty, false);
    private static readonly Event HelloWorld12 = MessageEvent.Expect(Payload.Text("Hello World!"), false);
    private static readonly Event EmptyPong = PongEvent.Expect(Payload.Empty);

    private static Case Get(string id) => CaseCatalogue.Find(id) ?? throw new AssertionException($"case {id} is missing");

    /// <summary>What a case saw. Defaults: the tester (a client) closed, the peer answered with 1000, the close was clean.</summary>
    private static Observations Seen(
        IReadOnlyList<Event>? events = null,
        bool closedByMe = true,
        bool clean = true,
        int? code = 1000,
        bool droppedByMe = false,
        bool testerIsServer = false,
        string? timer = null) => new()
    {
        HandshakeCompleted = true,
        TesterIsServer = testerIsServer,
        Events = events ?? [],
        TimerFired = timer,
        Closing = new CloseDetails
        {
            ClosedByMe = closedByMe,
            WasClean = clean,
            WasNotCleanReason = clean ? null : "the TCP connection ended before the closing handshake completed",
            RemoteCloseCode = code,
            DroppedByMe = droppedByMe,
        },
    };

    private static (Behavior, CloseBehavior) Decide(string id, Observations seen)
    {
        var verdicts = Judge.Decide(Get(id), seen);
        return (verdicts.Behavior, verdicts.Close);
    }

    // ---- §2.3: the close rules, first that applies wins ----

    [Test]
    public void Rule_1_the_wrong_endpoint_closing_is_FAILED_before_anything_else()
    {
        // Profile A (1.1.1): the tester should close. Here the peer closed, uncleanly, with a code not in the list.
        var verdicts = Judge.Decide(Get("1.1.1"), Seen([EmptyText], closedByMe: false, clean: false, code: 1002, droppedByMe: true));

        Assert.That(verdicts.Close, Is.EqualTo(CloseBehavior.Failed));
        Assert.That(verdicts.CloseReason, Does.Contain("wrong endpoint"));
    }

    [Test]
    public void Rule_1_applies_the_other_way_round_when_the_peer_was_to_fail_the_connection()
    {
        // Profile B (3.1): the peer must fail the connection; the tester had to, when K(1) fired.
        var verdicts = Judge.Decide(Get("3.1"), Seen(closedByMe: true, code: 1001, timer: "the case timer (1 s)"));

        Assert.That(verdicts.Close, Is.EqualTo(CloseBehavior.Failed));
        Assert.That(verdicts.CloseReason, Does.Contain("the case timer (1 s)"));
    }

    [Test]
    public void Rule_2_an_unclean_close_where_a_clean_one_is_required_is_UNCLEAN_before_the_code_is_looked_at() =>
        Assert.That(Decide("1.1.1", Seen([EmptyText], clean: false, code: 1001)), Is.EqualTo((Behavior.Ok, CloseBehavior.Unclean)));

    [Test]
    public void Rule_3_a_code_outside_the_list_is_WRONG_CODE_before_the_client_drop_rule() =>
        Assert.That(Decide("1.1.1", Seen([EmptyText], code: 1001, droppedByMe: true)), Is.EqualTo((Behavior.Ok, CloseBehavior.WrongCode)));

    [Test]
    public void Rule_3_accepts_a_close_without_a_code()
    {
        Assert.That(Decide("1.1.1", Seen([EmptyText], code: null)), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));
        Assert.That(Decide("7.3.1", Seen(code: null)), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));
    }

    [Test]
    public void Rule_4_the_tester_as_client_dropping_TCP_is_FAILED_BY_CLIENT() =>
        Assert.That(Decide("1.1.1", Seen([EmptyText], droppedByMe: true)), Is.EqualTo((Behavior.Ok, CloseBehavior.FailedByClient)));

    [Test]
    public void Rule_4_does_not_apply_when_the_tester_is_the_server() =>
        Assert.That(Decide("1.1.1", Seen([EmptyText], droppedByMe: true, testerIsServer: true)), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));

    [Test]
    public void Rule_5_otherwise_OK() =>
        Assert.That(Decide("1.1.1", Seen([EmptyText])), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));

    [TestCase(1002, true)]
    [TestCase(null, false)]
    public void Where_the_peer_fails_the_connection_a_close_frame_or_a_plain_drop_are_both_OK(int? code, bool clean) =>
        Assert.That(Decide("3.1", Seen(closedByMe: false, clean: clean, code: code)), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));

    [Test]
    public void Where_the_peer_fails_the_connection_with_another_code_it_is_WRONG_CODE_and_the_behaviour_stays_OK() =>
        Assert.That(Decide("3.1", Seen(closedByMe: false, code: 1000)), Is.EqualTo((Behavior.Ok, CloseBehavior.WrongCode)));

    // ---- the wrong-endpoint-fatal flag (profile C) ----

    [TestCase("6.3.1")]
    [TestCase("6.12.1")]
    [TestCase("6.20.7")]
    public void Invalid_UTF8_left_for_the_tester_to_close_fails_the_behaviour_too(string id)
    {
        // Nothing was echoed ([] is the OK list), but the peer never failed the connection: K fired and the tester closed.
        var verdicts = Judge.Decide(Get(id), Seen(closedByMe: true, code: 1001, timer: "the case timer (0.5 s)"));

        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Failed, CloseBehavior.Failed)));
        Assert.That(verdicts.BehaviorReason, Does.Contain("the peer did not fail the connection"));
    }

    [Test]
    public void Invalid_UTF8_failed_by_the_peer_with_1007_is_OK_and_with_1002_only_the_close_is_WRONG_CODE()
    {
        Assert.That(Decide("6.3.1", Seen(closedByMe: false, code: 1007)), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));
        Assert.That(Decide("6.3.1", Seen(closedByMe: false, code: 1002)), Is.EqualTo((Behavior.Ok, CloseBehavior.WrongCode)));
    }

    [Test]
    public void Fail_fast_NON_STRICT_becomes_FAILED_when_the_tester_had_to_close()
    {
        Event[] late = [new TimeoutEvent("A"), new TimeoutEvent("B")];

        Assert.That(Decide("6.4.1", Seen([new TimeoutEvent("A")], closedByMe: false, code: 1007)), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));
        Assert.That(Decide("6.4.1", Seen(late, closedByMe: false, code: 1007)), Is.EqualTo((Behavior.NonStrict, CloseBehavior.Ok)));
        Assert.That(Decide("6.4.1", Seen(late, closedByMe: true, code: 1001)), Is.EqualTo((Behavior.Failed, CloseBehavior.Failed)));
        Assert.That(Decide("6.4.1", Seen([], closedByMe: false, code: 1007)), Is.EqualTo((Behavior.Failed, CloseBehavior.Ok)), "failing on the valid first part is too early");
    }

    [Test]
    public void Without_the_fatal_flag_the_wrong_endpoint_leaves_the_behaviour_alone() =>
        Assert.That(Decide("4.1.1", Seen(closedByMe: true, code: 1001)), Is.EqualTo((Behavior.Ok, CloseBehavior.Failed)));

    // ---- category 7: WRONG CODE fails the behaviour ----

    [Test]
    public void In_category_7_WRONG_CODE_fails_the_behaviour()
    {
        var verdicts = Judge.Decide(Get("7.1.1"), Seen([HelloWorld12], code: 1002));

        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Failed, CloseBehavior.WrongCode)));
        Assert.That(verdicts.BehaviorReason, Does.Contain("1002"));
    }

    [Test]
    public void In_category_7_a_listed_code_or_an_unclean_close_does_not()
    {
        Assert.That(Decide("7.7.3", Seen(code: 1002)), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)), "7.7.3 accepts 1000 or its own 1002");
        Assert.That(Decide("7.7.3", Seen(code: 1000)), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));
        Assert.That(Decide("7.1.1", Seen([HelloWorld12], clean: false, code: null)), Is.EqualTo((Behavior.Ok, CloseBehavior.Unclean)));
        Assert.That(Decide("7.9.1", Seen(clean: false, code: null)), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)), "an invalid code may be refused by dropping TCP");
        Assert.That(Decide("7.9.1", Seen(code: 1000)), Is.EqualTo((Behavior.Failed, CloseBehavior.WrongCode)), "an invalid code answered with 1000");
    }

    [Test]
    public void Outside_category_7_WRONG_CODE_only_shows_in_the_close_verdict() =>
        Assert.That(Decide("1.1.1", Seen([EmptyText], code: 1002)), Is.EqualTo((Behavior.Ok, CloseBehavior.WrongCode)));

    // ---- INFORMATIONAL ----

    [TestCase("7.1.6")]
    [TestCase("7.13.1")]
    [TestCase("7.13.2")]
    public void Informational_cases_are_INFORMATIONAL_whatever_happened(string id)
    {
        var big = MessageEvent.Expect(Payload.Repeat("BAsd7&jh23", 256 * 1024), false);
        Observations[] outcomes =
        [
            Seen([HelloWorld12]),
            Seen([]),
            Seen([big, HelloWorld12], code: 1002),
            Seen([EmptyPong], closedByMe: false, clean: false, code: null),
            Seen([], droppedByMe: true, code: 65535),
        ];

        Assert.Multiple(() =>
        {
            foreach (var seen in outcomes)
            {
                Assert.That(Decide(id, seen), Is.EqualTo((Behavior.Informational, CloseBehavior.Informational)));
            }
        });
    }

    [Test]
    public void Case_7_1_6_says_in_words_which_list_it_matched()
    {
        Assert.That(Judge.Decide(Get("7.1.6"), Seen([HelloWorld12])).BehaviorReason, Does.StartWith("received what was expected"));
        Assert.That(Judge.Decide(Get("7.1.6"), Seen([])).BehaviorReason, Does.Contain("stricter behaviour is preferred"));
    }

    // ---- §2.2: OK and NON-STRICT lists ----

    [Test]
    public void Exact_equality_with_the_OK_list_is_OK_with_the_NON_STRICT_list_NON_STRICT_anything_else_FAILED()
    {
        var pong = EmptyPong;
        Assert.Multiple(() =>
        {
            Assert.That(Decide("3.2", Seen([HelloWorld], closedByMe: false, code: 1002)), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));
            Assert.That(Decide("3.2", Seen([], closedByMe: false, code: 1002)), Is.EqualTo((Behavior.NonStrict, CloseBehavior.Ok)));
            Assert.That(Decide("3.2", Seen([HelloWorld, pong], closedByMe: false, code: 1002)).Item1, Is.EqualTo(Behavior.Failed), "an extra pong");
            Assert.That(Decide("3.2", Seen([pong], closedByMe: false, code: 1002)).Item1, Is.EqualTo(Behavior.Failed));
            Assert.That(Decide("3.2", Seen([HelloWorld, HelloWorld], closedByMe: false, code: 1002)).Item1, Is.EqualTo(Behavior.Failed), "the RSV frame echoed");
            Assert.That(Decide("3.2", Seen([MessageEvent.Expect(Payload.Text("Hello, world!"), true)], closedByMe: false, code: 1002)).Item1,
                Is.EqualTo(Behavior.Failed), "same octets, but binary");
        });
    }

    [Test]
    public void Order_matters_in_the_event_list()
    {
        var ping1 = PongEvent.Expect(Payload.Text("pongme 1!"));
        var ping2 = PongEvent.Expect(Payload.Text("pongme 2!"));
        var echo = MessageEvent.Expect(Payload.Text("fragment1fragment2fragment3fragment4fragment5"), false);

        Assert.That(Decide("5.19", Seen([ping1, ping2, echo])).Item1, Is.EqualTo(Behavior.Ok));
        Assert.That(Decide("5.19", Seen([ping2, ping1, echo])).Item1, Is.EqualTo(Behavior.Failed));
        Assert.That(Decide("5.19", Seen([ping1, echo, ping2])).Item1, Is.EqualTo(Behavior.Failed));
    }

    [Test]
    public void A_truncated_event_list_never_matches()
    {
        // The kept head equals the OK list, but more arrived than was kept: the whole list cannot be equal.
        Assert.That(Decide("1.1.1", Seen([EmptyText])).Item1, Is.EqualTo(Behavior.Ok));
        Assert.That(Decide("1.1.1", Seen([EmptyText]) with { EventsTruncated = true }).Item1, Is.EqualTo(Behavior.Failed));
    }

    // ---- category 9: replies checked one by one ----

    [Test]
    public void Echo_rule_every_reply_matched_is_OK()
    {
        Assert.That(Decide("9.1.1", Seen() with { EchoesMatched = 1 }), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));
        Assert.That(Decide("9.7.1", Seen() with { EchoesMatched = 1000 }), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));
    }

    [Test]
    public void Echo_rule_a_mismatch_is_FAILED_with_its_reason()
    {
        const string Mismatch = "reply 1 was a text message of 65536 octets; expected text of 262144";
        var verdicts = Judge.Decide(Get("9.1.2"), Seen() with { EchoMismatch = Mismatch });

        Assert.That(verdicts.Behavior, Is.EqualTo(Behavior.Failed));
        Assert.That(verdicts.BehaviorReason, Is.EqualTo(Mismatch));
    }

    [Test]
    public void Echo_rule_an_extra_reply_after_all_matched_is_FAILED() =>
        Assert.That(Decide("9.7.1", Seen() with { EchoesMatched = 1000, EchoMismatch = "an extra message arrived after the 1000 expected" }).Item1,
            Is.EqualTo(Behavior.Failed));

    [Test]
    public void Echo_rule_a_partial_run_is_FAILED_and_says_how_far_it_got()
    {
        var verdicts = Judge.Decide(Get("9.7.1"), Seen(code: null) with { EchoesMatched = 400, TimerFired = "the case timer (60 s)" });

        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Failed, CloseBehavior.Ok)));
        Assert.That(verdicts.BehaviorReason, Does.Contain("received 400 of 1000").And.Contain("the case timer (60 s)"));
    }

    [Test]
    public void Echo_rule_nothing_back_before_the_connection_ended_is_FAILED()
    {
        var verdicts = Judge.Decide(Get("9.2.1"), Seen(closedByMe: false, clean: false, code: null));

        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Failed, CloseBehavior.Failed)));
        Assert.That(verdicts.BehaviorReason, Does.Contain("received 0 of 1").And.Contain("before the connection ended"));
    }

    // ---- 10.1.1: the tester checks its own fragmentation ----

    private static readonly Event Echo64K = MessageEvent.Expect(Payload.Repeat((byte)'*', 65536), false);

    [Test]
    public void Self_check_passes_when_the_tester_sent_1_text_and_50_continuation_frames()
    {
        var seen = Seen([Echo64K]) with { TxFrames = new Dictionary<int, int> { [1] = 1, [0] = 50, [8] = 1 } };

        Assert.That(Decide("10.1.1", seen), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)));
    }

    [TestCase(49, 1)]
    [TestCase(50, 2)]
    [TestCase(0, 0)]
    public void Self_check_fails_the_case_when_the_tester_fragmented_differently(int continuations, int texts)
    {
        var seen = Seen([Echo64K]) with { TxFrames = new Dictionary<int, int> { [1] = texts, [0] = continuations, [8] = 1 } };
        var verdicts = Judge.Decide(Get("10.1.1"), seen);

        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Failed, CloseBehavior.Ok)));
        Assert.That(verdicts.BehaviorReason, Does.StartWith("self-check"));
    }

    [Test]
    public void Self_check_does_not_hide_a_peer_failure()
    {
        var verdicts = Judge.Decide(Get("10.1.1"), Seen([]) with { TxFrames = new Dictionary<int, int> { [1] = 1, [0] = 49 } });

        Assert.That(verdicts.Behavior, Is.EqualTo(Behavior.Failed));
        Assert.That(verdicts.BehaviorReason, Does.StartWith("expected"), "the peer's failure is what is reported");
    }

    // ---- the opening handshake ----

    [TestCase("1.1.1")]
    [TestCase("3.1")]
    [TestCase("9.1.1")]
    public void A_failed_handshake_is_FAILED_twice_with_the_reason(string id)
    {
        var seen = new Observations { HandshakeCompleted = false, HandshakeError = "server answered 'HTTP/1.1 404 Not Found' instead of 101 Switching Protocols" };
        var verdicts = Judge.Decide(Get(id), seen);

        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Failed, CloseBehavior.Failed)));
        Assert.That(verdicts.BehaviorReason, Does.Contain("opening handshake failed").And.Contain("404 Not Found"));
        Assert.That(verdicts.CloseReason, Does.Contain("opening handshake never completed"));
    }

    [Test]
    public void A_failed_handshake_ignores_whatever_else_was_filled_in()
    {
        var seen = Seen([EmptyText]) with { HandshakeCompleted = false, HandshakeError = "no complete handshake response within 5 s" };

        Assert.That(Decide("1.1.1", seen), Is.EqualTo((Behavior.Failed, CloseBehavior.Failed)));
    }
}
