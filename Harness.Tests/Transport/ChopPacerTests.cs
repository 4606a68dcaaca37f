using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Conformance.Harness.Transport;
using NUnit.Framework;

namespace Conformance.Tests.Transport;

/// <summary>The shared pacer of tiny chops: order and spacing kept, and one stuck connection never holds up another.</summary>
[TestFixture]
public sealed class ChopPacerTests
{
    [SetUp]
    public void LinuxOnly() => Assume.That(OperatingSystem.IsLinux(), "the pacer needs send(2) with MSG_DONTWAIT (Linux); elsewhere each writer spaces its own pieces");

    [Test]
    public async Task Pieces_leave_in_order_one_spacing_apart()
    {
        var (tester, peer) = await PairAsync();
        await using var connection = tester;
        using var reader = peer;
        var octets = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        ChopPacer.Write(connection, new byte[] { 0 }, pieceSize: 1, _ => { }, CancellationToken.None); // the pacer's thread started and its code compiled
        Assert.That(reader.Receive(new byte[1]), Is.EqualTo(1));
        var clock = Stopwatch.StartNew();
        ChopPacer.Write(connection, octets, pieceSize: 1, _ => { }, CancellationToken.None);
        clock.Stop();

        var received = new byte[octets.Length];
        for (int read = 0; read < received.Length;)
        {
            read += reader.Receive(received.AsSpan(read));
        }

        Assert.Multiple(() =>
        {
            Assert.That(received, Is.EqualTo(octets));
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo((octets.Length - 1) * ChopPacer.Spacing), "20 pieces need at least 19 spacings");
        });
    }

    [Test]
    public async Task A_connection_without_room_does_not_hold_up_another()
    {
        var (stuck, stuckPeer) = await PairAsync();
        var (moving, movingPeer) = await PairAsync();
        await using var stuckConnection = stuck;
        await using var movingConnection = moving;
        using var neverReads = stuckPeer;
        using var reader = movingPeer;
        var filler = new byte[64 * 1024];
        // Fill the socket until the kernel takes no more, even a while later (memory of sent segments is freed
        // after the call returns): its peer never reads.
        for (int round = 0; round < 50; round++)
        {
            while (stuck.TrySendNow(filler) > 0)
            {
            }

            await Task.Delay(50);
            if (stuck.TrySendNow(filler) == 0)
            {
                break;
            }
        }

        using var giveUp = new CancellationTokenSource();
        // 64 KB in 16-octet pieces: the kernel may find room for a few octets later (its memory accounting), never for all of them.
        var stuckWrite = Task.Run(() => ChopPacer.Write(stuck, new byte[64 * 1024], 16, _ => { }, giveUp.Token));
        var movingWrite = Task.Run(() => ChopPacer.Write(moving, new byte[] { 5, 6, 7, 8, 9, 10 }, 1, _ => { }, CancellationToken.None));

        Assert.That(await Task.WhenAny(movingWrite, Task.Delay(TimeSpan.FromSeconds(10))), Is.SameAs(movingWrite), "the moving connection's chops were held up");
        var received = new byte[6];
        for (int read = 0; read < received.Length;)
        {
            read += reader.Receive(received.AsSpan(read));
        }

        Assert.That(received, Is.EqualTo(new byte[] { 5, 6, 7, 8, 9, 10 }));
        Assert.That(stuckWrite.IsCompleted, Is.False, "the stuck connection had no room for its pieces");
        giveUp.Cancel();
        Assert.That(async () => await stuckWrite, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_dropped_connection_fails_the_write()
    {
        var (tester, peer) = await PairAsync();
        using var reader = peer;
        tester.Drop();
        Assert.That(() => ChopPacer.Write(tester, new byte[] { 1, 2, 3 }, 1, _ => { }, CancellationToken.None), Throws.InstanceOf<IOException>());
        await tester.DisposeAsync();
    }

    /// <summary>A plain TCP connection as the tester holds it, and the raw socket of its peer.</summary>
    private static async Task<(TcpConnection Tester, Socket Peer)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(listener.LocalEndPoint!);
        var accepted = await listener.AcceptAsync();
        return (TcpConnection.FromAccepted(accepted), peer);
    }
}
