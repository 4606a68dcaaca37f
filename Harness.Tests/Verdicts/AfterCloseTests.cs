using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Reports.Model;
using NUnit.Framework;
using B = Conformance.Reports.Model.Behavior;
using C = Conformance.Reports.Model.CloseBehavior;

namespace Conformance.Tests.VerdictTruth;

/// <summary>
/// Issue 10 items 3 and 4: what the tester does with the peer's frames after it has failed the
/// connection (it keeps reading, as Autobahn's does: spec §0.5), and that the tester itself never
/// sends data after its own close frame (RFC 6455 §5.5.1) unless the case does so on purpose (7.1.x).
/// </summary>
[TestFixture(Tested.Server)]
[TestFixture(Tested.Client)]
public sealed class AfterCloseTests(Tested tested)
{
    private static readonly Timers Timers = new() { Scale = 0.5 };

    // Item 3 --------------------------------------------------------------------------------------

    /// <summary>3.2's peer echoes the valid message, skips the RSV frame, and answers the ping only after the K timer's close.</summary>
    [Test]
    public async Task A_pong_after_the_tester_failed_the_connection_is_still_recorded()
    {
        var r = await AfterTheKillAsync(peer => peer.SendAsync(0xA, []));
        Expect(r, B.Failed, C.Failed); // [echo, pong] is neither OK [echo] nor NON-STRICT []; the tester closed (wrong endpoint)
        Assert.That(r.Seen.Events.Select(e => e.Describe()), Is.EqualTo(new[] { "message text Hello, world!", "pong " }));
    }

    [Test]
    public async Task A_message_after_the_tester_failed_the_connection_is_dropped()
    {
        var r = await AfterTheKillAsync(peer => peer.SendAsync(0x1, Peer.Text("late")));
        Expect(r, B.Ok, C.Failed);
        Assert.That(r.Seen.Closing.WasClean, Is.True, "the message is read and checked, the close answer still arrives");
    }

    [Test]
    public async Task A_second_violation_after_the_tester_failed_the_connection_drops_TCP()
    {
        var r = await AfterTheKillAsync(peer => peer.SendAsync(0x1, Peer.Text("late"), rsv: 1));
        Expect(r, B.Ok, C.Failed);
        Assert.Multiple(() =>
        {
            Assert.That(r.Seen.Closing.DroppedByMe, Is.True);
            Assert.That(r.Seen.Closing.WasClean, Is.False, "TCP was dropped before the peer's close");
            Assert.That(r.Seen.Closing.RemoteCloseCode, Is.Null);
        });
    }

    private Task<(Verdicts Verdicts, Observations Seen)> AfterTheKillAsync(Func<Peer, ValueTask> late) =>
        SessionPair.PlayAsync("3.2", tested, async peer =>
        {
            var hello = await peer.ReadFrameAsync();
            await peer.SendAsync(0x1, hello!.Value.Payload);
            await peer.ReadFrameAsync(); // the RSV frame, accepted (the violation that makes K fire)
            await peer.ReadFrameAsync(); // the ping, not answered yet
            await peer.ReadUntilAsync(0x8); // the K timer's close (1001)
            await late(peer);
            await peer.SendCloseAsync(1001);
            await peer.EndAsync();
        }, Timers);

    // Item 4 --------------------------------------------------------------------------------------

    [Test]
    public async Task The_round_trips_of_9_7_stop_at_the_first_wrong_reply()
    {
        var r = await SessionPair.PlayAsync("9.7.1", tested, async peer =>
        {
            await peer.ReadFrameAsync();
            await peer.SendAsync(0x1, Peer.Text("x")); // 1 octet for an empty message: the first mismatch
            await peer.SendAsync(0x1, []); // a right reply after a wrong one does not help (item 8)
            await peer.ReadUntilAsync(0x8);
            await peer.SendCloseAsync(1000);
            await peer.EndAsync();
        }, Timers);
        Expect(r, B.Failed, C.Ok);
        Assert.Multiple(() =>
        {
            Assert.That(r.Verdicts.BehaviorReason, Does.StartWith("reply 1 was a text message of 1 octets"));
            Assert.That(r.Seen.TxFrames.GetValueOrDefault(1), Is.EqualTo(1), "one message sent, then the close, then nothing");
            Assert.That(r.Seen.TesterDataAfterClose, Is.Null);
        });
    }

    [Test]
    public async Task The_later_parts_of_6_4_3_are_not_sent_once_the_tester_answered_the_peers_close()
    {
        var r = await SessionPair.PlayAsync("6.4.3", tested, async peer =>
        {
            var header = await peer.Wire.ReadHeaderAsync();
            ulong received = 0;
            while (received < 15) // KOSME (11) and f4908080: the text is invalid now
            {
                received += (ulong)(await peer.Wire.ReadPayloadAsync(header!.Value, received, 15 - received)).Length;
            }

            await peer.SendCloseAsync(1007);
            await peer.EndAsync();
        }, Timers);
        Expect(r, B.Ok, C.Ok); // [timeout A]: failed fast, in the second pause
        var afterClose = r.Seen.WireLog.SkipWhile(e => e.Frame?.Opcode != 0x8 || e.Direction != WireDirection.Tx).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(afterClose, Is.Not.Empty, "the tester answered the close");
            Assert.That(afterClose.Where(e => e.Note?.StartsWith("next part", StringComparison.Ordinal) == true), Is.Empty, SessionPair.Describe(r));
            Assert.That(r.Seen.TesterDataAfterClose, Is.Null);
        });
    }

    [Test]
    public async Task Data_after_its_own_close_is_sent_only_where_the_case_does_it_on_purpose()
    {
        var r = await SessionPair.PlayAsync("7.1.4", tested, async peer =>
        {
            await peer.ReadUntilAsync(0x8);
            await peer.SendCloseAsync(1000);
            await peer.EndAsync();
        }, Timers);
        Expect(r, B.Ok, C.Ok);
        Assert.Multiple(() =>
        {
            Assert.That(r.Seen.TxFrames.GetValueOrDefault(1), Is.EqualTo(1), "7.1.4 sends its text frame after its close on purpose");
            Assert.That(r.Seen.TesterDataAfterClose, Is.Null);
        });
    }

    /// <summary>The check itself can fail: a data frame queued behind the close without the sender's check is refused and reported.</summary>
    [TestCase(false, true)]
    [TestCase(true, false)]
    public async Task The_frame_sender_refuses_data_after_the_close_and_reports_an_unchecked_one(bool checkedOpen, bool reported)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var server = await listener.AcceptSocketAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        var sender = new FrameSender(TcpConnection.FromAccepted(server), testerIsServer: true, new WireRecorder(clock, false, null), stop.Token, _ => { });
        var writing = sender.Finished;

        sender.Enqueue(new Outgoing.Control(0x8, [0x03, 0xE8]));
        sender.Enqueue(new Outgoing.FrameItem(new Frame(0x1, Payload.Text("late")), Writing.Whole) { CheckedOpen = checkedOpen });
        await sender.FlushAsync();
        sender.Complete();
        await writing;

        var octets = new byte[64];
        int read = client.Receive(octets);
        Assert.Multiple(() =>
        {
            Assert.That(octets[..read], Is.EqualTo(new byte[] { 0x88, 0x02, 0x03, 0xE8 }), "only the close frame was written");
            Assert.That(sender.DataAfterClose is not null, Is.EqualTo(reported), sender.DataAfterClose);
        });
    }

    private static void Expect((Verdicts Verdicts, Observations Seen) r, B behavior, C close) =>
        Assert.That((r.Verdicts.Behavior, r.Verdicts.Close), Is.EqualTo((behavior, close)), SessionPair.Describe(r));
}
