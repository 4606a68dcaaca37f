using Conformance.Harness.Running;
using NUnit.Framework;
using B = Conformance.Reports.Model.Behavior;
using C = Conformance.Reports.Model.CloseBehavior;

namespace Conformance.Tests.VerdictTruth;

/// <summary>
/// Issue 10 items 1, 2 and 5: invalid close frames judged as Autobahn's tester judges them
/// (autobahn-python 0.10.9 <c>onCloseFrame</c> with failByDrop off, then case.py's close rules in
/// order: wrong endpoint, UNCLEAN, WRONG CODE, FAILED BY CLIENT). Each peer breaks one rule; each
/// row gives the verdict pair and the facts behind it, in both roles where the case applies.
/// </summary>
[TestFixture(Tested.Server)]
[TestFixture(Tested.Client)]
public sealed class InvalidCloseTests(Tested tested)
{
    private static readonly Timers Timers = new() { Scale = 0.5 };

    // Item 1: the peer starts a close that is itself invalid. The tester fails the connection: its own
    // close goes first, so the tester is the closer (closedByMe) and the peer's frame is the answer.

    [Test]
    public async Task A_peer_failing_with_a_reserved_code_is_judged_as_closed_by_the_tester()
    {
        var r = await PeerFailsAsync("3.1", p => p.SendCloseAsync(1004));
        Expect(r, B.Ok, C.Failed); // profile B expects the peer to close: the wrong endpoint closed (rule 1)
        Assert.Multiple(() =>
        {
            Assert.That(r.Seen.Closing.ClosedByMe, Is.True, "the tester's 1002 went first");
            Assert.That(r.Seen.Closing.LocalCloseCode, Is.EqualTo(1002));
            Assert.That(r.Seen.Closing.RemoteCloseCode, Is.EqualTo(1004), "the peer's code is kept as sent");
            Assert.That(r.Seen.Closing.WasClean, Is.True, "the peer's frame counts as the answer");
        });
    }

    [Test]
    public async Task A_peer_failing_invalid_UTF8_with_a_reason_that_is_not_UTF8_fails_both_verdicts()
    {
        var r = await PeerFailsAsync("6.3.1", p => p.SendCloseAsync(1007, Peer.InvalidUtf8));
        Expect(r, B.Failed, C.Failed); // profile C: the wrong endpoint closed, and that is fatal for the behaviour
        Assert.That(r.Seen.Closing.LocalCloseCode, Is.EqualTo(1007), "a reason that is not UTF-8 is answered with 1007");
    }

    [Test]
    public async Task A_peer_failing_with_a_1_octet_close_payload_is_judged_as_closed_by_the_tester()
    {
        var r = await PeerFailsAsync("3.1", p => p.SendCloseAsync([0x03]));
        Expect(r, B.Ok, C.Failed);
        Assert.That(r.Seen.Closing.RemoteCloseCode, Is.Null);
    }

    [Test]
    public async Task A_peer_closing_invalidly_where_the_tester_should_close_gets_WRONG_CODE()
    {
        // 2.1 expects a pong, then the tester's close; this peer answers the ping with a close of code 1004.
        var r = await PeerFailsAsync("2.1", p => p.SendCloseAsync(1004));
        Expect(r, B.Failed, C.WrongCode); // the tester closed (rule 1 passes), cleanly (rule 2), but 1004 is not 1000 (rule 3)
    }

    [Test]
    public async Task A_close_with_a_bad_code_and_a_bad_reason_is_two_violations_and_drops_TCP()
    {
        var r = await PeerFailsAsync("3.1", p => p.SendCloseAsync(ScriptedClose(1004, Peer.InvalidUtf8)));
        Expect(r, B.Ok, C.Failed);
        Assert.Multiple(() =>
        {
            Assert.That(r.Seen.Closing.WasClean, Is.False, "failing a second time while closing drops TCP");
            Assert.That(r.Seen.Closing.DroppedByMe, Is.True);
        });
    }

    // Item 2: the tester closes and the peer's answer is invalid: the tester drops TCP, the close is not clean.

    [TestCase("invalid UTF-8 reason")]
    [TestCase("1-octet payload")]
    [TestCase("reserved code 1005")]
    public async Task An_invalid_answer_to_the_testers_close_is_UNCLEAN(string answer)
    {
        byte[] payload = answer switch
        {
            "invalid UTF-8 reason" => ScriptedClose(1000, Peer.InvalidUtf8),
            "1-octet payload" => [0x03],
            _ => ScriptedClose(1005, []),
        };
        var r = await AnswersCloseAsync("7.7.1", payload);
        Expect(r, B.Ok, C.Unclean); // requireClean (rule 2) comes before the code (rule 3): UNCLEAN, so category 7's WRONG CODE rule leaves the behaviour OK
        Assert.That(r.Seen.Closing.DroppedByMe, Is.True);
    }

    [Test]
    public async Task An_invalid_answer_where_no_clean_close_is_required_is_FAILED_BY_CLIENT_for_a_server_only()
    {
        // 7.9.1 sends code 0 and accepts 1002 without a clean close: the answer 1002 is right, its reason is not UTF-8.
        var r = await AnswersCloseAsync("7.9.1", ScriptedClose(1002, Peer.InvalidUtf8));
        Expect(r, B.Ok, tested == Tested.Server ? C.FailedByClient : C.Ok); // rule 4: the tester (a client) dropped TCP
    }

    // Item 5: 1012–1014 are valid on the wire (IANA registry); unexpected there, they are WRONG CODE like any valid code.

    [Test]
    public async Task Failing_with_1012_where_1002_is_expected_is_WRONG_CODE_not_FAILED()
    {
        var r = await PeerFailsAsync("3.1", p => p.SendCloseAsync(1012));
        Expect(r, B.Ok, C.WrongCode); // Autobahn 0.10.9 rejects 1012 and would give FAILED: a documented difference
        Assert.That(r.Seen.Closing.ClosedByMe, Is.False, "1012 is a valid close, the peer closed");
    }

    private static byte[] ScriptedClose(ushort code, byte[] reason) => ScriptedConnection.ClosePayload(code, reason);

    /// <summary>The peer reads the tester's first frame, then closes with <paramref name="close"/>, reads the answer and ends.</summary>
    private Task<(Verdicts Verdicts, Observations Seen)> PeerFailsAsync(string caseId, Func<Peer, ValueTask> close) =>
        SessionPair.PlayAsync(caseId, tested, async peer =>
        {
            await peer.ReadFrameAsync();
            await close(peer);
            await peer.ReadUntilAsync(0x8);
            await peer.EndAsync();
        }, Timers);

    /// <summary>The peer waits for the tester's close and answers it with <paramref name="payload"/>.</summary>
    private Task<(Verdicts Verdicts, Observations Seen)> AnswersCloseAsync(string caseId, byte[] payload) =>
        SessionPair.PlayAsync(caseId, tested, async peer =>
        {
            await peer.ReadUntilAsync(0x8);
            await peer.SendCloseAsync(payload);
            await peer.EndAsync();
        }, Timers);

    private static void Expect((Verdicts Verdicts, Observations Seen) r, B behavior, C close) =>
        Assert.That((r.Verdicts.Behavior, r.Verdicts.Close), Is.EqualTo((behavior, close)), SessionPair.Describe(r));
}
