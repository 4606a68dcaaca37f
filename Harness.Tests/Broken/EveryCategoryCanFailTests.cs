using Conformance.Harness.Running;
using Conformance.Reports.Model;
using NUnit.Framework;
using B = Conformance.Reports.Model.Behavior;
using C = Conformance.Reports.Model.CloseBehavior;

namespace Conformance.Tests.Broken;

/// <summary>
/// For every category, a server with exactly one violation gets FAILED verdicts on the cases that
/// check that duty, and keeps its OK verdicts on the cases that do not. Every expected verdict is
/// derived from the spec's rules (autobahn-catalogue.md §0.4 timers, §0.7 close profiles, §2.2
/// behaviour, §2.3 close rules in order), not from what the harness printed; the derivation is in
/// the comment beside each row. Scaled timers keep each test to a second or two: these verdicts
/// depend on which timer fires, not on how long it is.
/// </summary>
[Integration]
public sealed class EveryCategoryCanFailTests
{
    private static readonly Timers Quick = new() { Scale = 0.25 };

    [Test]
    public async Task Category_1_framing_fails_when_the_echo_is_corrupted() =>
        await ExpectAsync(new ScriptedServerOptions { EchoCorruptsPayload = true },
            ("1.1.1", B.Ok, C.Ok), // an empty echo has nothing to corrupt: auto-close 1000, echoed 1000
            ("1.1.2", B.Failed, C.WrongCode), // echo differs → no auto-close; K(1) closes with 1001, the server echoes 1001 ∉ [1000] (rule 3)
            ("1.1.5", B.Failed, C.WrongCode),
            ("1.2.3", B.Failed, C.WrongCode));

    [Test]
    public async Task Category_2_pings_fail_when_pings_are_never_answered() =>
        await ExpectAsync(new ScriptedServerOptions { NeverPongs = true },
            ("2.1", B.Failed, C.Ok), // no pong; C(1) sends an empty close, answered empty: tester closed, clean, no code
            ("2.4", B.Failed, C.Ok),
            ("2.10", B.Failed, C.Ok), // C(3)
            ("2.5", B.Ok, C.Ok), // a 126-octet ping is still refused with 1002 (profile B)
            ("2.7", B.Ok, C.Ok)); // unsolicited pong, then the tester's close: nothing expected

    [Test]
    public async Task Category_2_pings_fail_when_the_pong_payload_differs() =>
        await ExpectAsync(new ScriptedServerOptions { PongWrongPayload = true },
            ("2.1", B.Failed, C.Ok), // an empty ping answered with "?"
            ("2.2", B.Failed, C.Ok),
            ("2.9", B.Failed, C.Ok),
            ("5.6", B.Failed, C.Ok), // the pong between two fragments differs too
            ("2.8", B.Ok, C.Ok));

    [Test]
    public async Task Category_3_reserved_bits_fail_when_RSV_bits_are_accepted() =>
        await ExpectAsync(new ScriptedServerOptions { AcceptsRsvBits = true },
            ("3.1", B.Failed, C.Failed), // the RSV frame is echoed (≠ []); K(1) makes the tester close: wrong endpoint (rule 1)
            ("3.2", B.Failed, C.Failed), // [echo, echo, pong] matches neither OK [echo] nor NON-STRICT []
            ("3.5", B.Failed, C.Failed),
            ("3.7", B.Ok, C.Ok)); // a close with RSV=7 is taken as a close and answered: the peer closed, no code → rules pass

    [Test]
    public async Task Category_4_opcodes_fail_when_reserved_opcodes_are_skipped() =>
        await ExpectAsync(new ScriptedServerOptions { AcceptsReservedOpcodes = true },
            ("4.1.1", B.Ok, C.Failed), // nothing echoed ([] = OK list), but K(1) had to close: wrong endpoint, not fatal in profile B
            ("4.1.3", B.Failed, C.Failed), // [echo, pong] after the skipped OP5
            ("4.2.1", B.Ok, C.Failed),
            ("4.2.4", B.Failed, C.Failed));

    [Test]
    public async Task Category_5_fragmentation_fails_when_fragment_errors_are_ignored() =>
        await ExpectAsync(new ScriptedServerOptions { IgnoresFragmentationErrors = true },
            ("5.3", B.Ok, C.Ok), // valid fragmentation is unaffected
            ("5.1", B.Ok, C.Ok), // a fragmented ping is a control-frame error, still refused
            ("5.9", B.Failed, C.Failed), // the stray continuation is skipped, "Hello, world!" echoed; K(1) closes: wrong endpoint
            ("5.15", B.Failed, C.Failed), // [echo fragment1fragment2, echo fragment4]
            ("5.18", B.Failed, C.Failed)); // the second text frame restarts the message: echo "fragment2"

    [Test]
    public async Task Category_6_utf8_fails_when_invalid_text_is_accepted()
    {
        var results = await ExpectAsync(new ScriptedServerOptions { AcceptsInvalidUtf8 = true },
            ("6.2.1", B.Ok, C.Ok),
            ("6.5.1", B.Ok, C.Ok),
            ("6.3.1", B.Failed, C.Failed), // the invalid echo makes the tester fail the connection (1007): wrong endpoint, fatal in profile C
            ("6.12.1", B.Failed, C.Failed),
            ("6.4.1", B.Failed, C.Failed)); // [timeout A, timeout B] would be NON-STRICT, but the tester had to close: fatal

        Assert.Multiple(() =>
        {
            foreach (var id in new[] { "6.3.1", "6.12.1", "6.4.1" })
            {
                Assert.That(results[id].Closing.ClosedByMe, Is.True, id);
                Assert.That(results[id].Closing.LocalCloseCode, Is.EqualTo(1007), $"{id}: the tester refuses the peer's invalid text with 1007 (§2.3)");
            }

            Assert.That(results["6.4.1"].Received, Is.EqualTo(new[] { "timeout A", "timeout B" }), "the connection stayed open through both pauses");
        });
    }

    [Test]
    public async Task Category_7_close_fails_when_a_valid_close_is_answered_with_1002() =>
        await ExpectAsync(new ScriptedServerOptions { ClosesWithWrongCode = WrongCloseCode.ProtocolErrorOnValidClose },
            ("7.1.1", B.Failed, C.WrongCode), // 1002 ∉ [1000]: WRONG CODE, and in category 7 WRONG CODE fails the behaviour too
            ("7.3.1", B.Failed, C.WrongCode),
            ("7.7.1", B.Failed, C.WrongCode),
            ("7.7.3", B.Ok, C.Ok), // 7.7.3 closes with 1002 itself: [1000, 1002] accepts the answer
            ("7.9.1", B.Ok, C.Ok), // code 0 must be refused with 1002 anyway
            ("7.13.1", B.Informational, C.Informational));

    [Test]
    public async Task Category_7_close_is_unclean_when_the_close_is_never_answered() =>
        await ExpectAsync(new ScriptedServerOptions { NeverAnswersClose = true },
            ("7.1.1", B.Ok, C.Unclean), // the echo came; the close handshake timed out (rule 2), UNCLEAN does not touch the behaviour
            ("7.3.3", B.Ok, C.Unclean),
            ("7.7.13", B.Ok, C.Unclean),
            ("7.3.2", B.Ok, C.Ok), // a 1-octet close payload is refused with 1002 before any answer is due
            ("7.9.2", B.Ok, C.Ok),
            ("1.1.1", B.Ok, C.Unclean)); // the same duty seen from profile A elsewhere

    [Test]
    public async Task Closing_without_a_close_frame_is_unclean_where_a_clean_close_is_required() =>
        await ExpectAsync(new ScriptedServerOptions { DropsTcpWithoutClose = true },
            ("7.1.1", B.Ok, C.Unclean), // TCP dropped in answer to the tester's close: not clean (rule 2)
            ("1.1.2", B.Ok, C.Unclean),
            ("7.9.2", B.Ok, C.Ok), // 999 is refused by dropping TCP: profile with requireClean = false accepts a drop
            ("3.1", B.Ok, C.Ok), // "P fails the connection" may be a plain TCP drop (§0.7)
            ("6.3.1", B.Ok, C.Ok));

    [Test]
    public async Task Failing_with_1000_instead_of_a_protocol_error_code_is_WRONG_CODE() =>
        await ExpectAsync(new ScriptedServerOptions { ClosesWithWrongCode = WrongCloseCode.NormalOnProtocolError },
            ("3.1", B.Ok, C.WrongCode), // the peer failed (right endpoint), but 1000 ∉ [1002]; outside category 7 the behaviour stays OK
            ("6.3.1", B.Ok, C.WrongCode), // 1000 ∉ [1007]
            ("7.9.1", B.Failed, C.WrongCode), // in category 7 WRONG CODE fails the behaviour
            ("1.1.2", B.Ok, C.Ok)); // a valid close is still echoed

    [Test]
    public async Task Category_9_limits_fail_when_large_messages_are_truncated()
    {
        var results = await ExpectAsync(new ScriptedServerOptions { TruncatesLargeMessages = true, TruncateAt = 64 * 1024 },
            ("9.1.1", B.Ok, C.Ok), // exactly 64 KiB: nothing cut
            ("9.1.2", B.Failed, C.Ok), // 64 KiB back for 256 KiB: FAILED at once, the tester closes 1000, answered 1000
            ("9.2.3", B.Failed, C.Ok),
            ("9.4.9", B.Failed, C.Ok),
            ("9.7.6", B.Ok, C.Ok)); // 1000 round trips of 4 KiB are below the cut

        Assert.That(results["9.1.2"].BehaviorReason, Does.Contain("65536").And.Contain("262144"), "the reason names both lengths");
    }

    [Test]
    public async Task Category_10_auto_fragmentation_fails_when_only_the_first_fragment_is_echoed()
    {
        // K(10) decides 10.1.1, so this one runs at a tenth: 1 s.
        var results = await ExpectAsync(new ScriptedServerOptions { EchoesFirstFragmentOnly = true }, new Timers { Scale = 0.1 },
            ("10.1.1", B.Failed, C.WrongCode), // 1300 octets back for 65536; K(10) closes with 1001, echoed: 1001 ∉ [1000]
            ("1.1.7", B.Ok, C.Ok), // an unfragmented 64 KiB message is unaffected
            ("5.3", B.Failed, C.Ok)); // "fragment1" alone; C(1) closes without a code

        Assert.That(results["10.1.1"].Stats.TxFrames, Is.EquivalentTo(new Dictionary<int, int> { [0] = 50, [1] = 1, [8] = 1 }),
            "the tester's own fragmentation (1 text + 50 continuation frames, then its close) is not what failed");
    }

    [Test]
    public async Task Category_11_masking_fails_when_unmasked_frames_are_accepted() =>
        await ExpectAsync(new ScriptedServerOptions { AcceptsUnmaskedFrames = true },
            ("11.1.1", B.Failed, C.Failed), // the unmasked frame is echoed; K(1) closes: wrong endpoint
            ("11.1.2", B.Failed, C.Failed), // the unmasked ping is answered
            ("11.1.3", B.Ok, C.WrongCode), // the unmasked close is answered with 1000: the peer closed (right endpoint), 1000 ∉ [1002]
            ("11.1.6", B.Failed, C.Failed),
            ("11.2.1", B.Ok, C.Ok));

    [Test]
    public async Task An_unsolicited_message_fails_every_kind_of_behaviour_rule()
    {
        var results = await ExpectAsync(new ScriptedServerOptions { SendsUnsolicitedMessageAtStart = true },
            ("1.1.1", B.Failed, C.WrongCode), // [greeting, echo] ≠ [echo]: no auto-close; K(1) → 1001 echoed
            ("2.1", B.Failed, C.Ok), // C(1) → empty close, answered empty
            ("3.1", B.Failed, C.Ok), // the peer still fails the RSV frame itself, but an event arrived
            ("9.1.1", B.Failed, C.Ok)); // the first reply is a 22-octet text, not 64 KiB: the tester closes 1000

        Assert.That(results["9.1.1"].BehaviorReason, Does.Contain("22 octets"));
    }

    /// <summary>Runs the listed cases against a server with the given options and checks both verdicts of each.</summary>
    private static Task<Dictionary<string, CaseResult>> ExpectAsync(ScriptedServerOptions options, params (string Id, B Behavior, C Close)[] expected) =>
        ExpectAsync(options, Quick, expected);

    private static async Task<Dictionary<string, CaseResult>> ExpectAsync(ScriptedServerOptions options, Timers timers, params (string Id, B Behavior, C Close)[] expected)
    {
        await using var server = ScriptedServer.Start(options);
        var results = await Runs.CasesAsync(server, expected.Select(e => e.Id), timers, parallel: expected.Length);

        Assert.Multiple(() =>
        {
            Assert.That(results.Keys, Is.EquivalentTo(expected.Select(e => e.Id)), "every listed case has a result");
            foreach (var (id, behavior, close) in expected)
            {
                if (results.TryGetValue(id, out var r))
                {
                    Assert.That((r.Behavior, r.CloseBehavior), Is.EqualTo((behavior, close)), Runs.Describe(r));
                }
            }

            Assert.That(server.Errors, Is.Empty, "the scripted server itself threw");
            foreach (var r in results.Values)
            {
                // RFC 6455 §5.5.1: the tester never queues data after its own close without checking (FrameSender).
                Assert.That(r.WireLog.Where(e => e.Note?.StartsWith(FrameSender.TesterBug, StringComparison.Ordinal) == true).Select(e => e.Note), Is.Empty, r.CaseId);
            }
        });
        return results;
    }
}
