using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Tests.Broken;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.VerdictTruth;

/// <summary>The side of the tested implementation: a server (the tester is the client) or a client (the tester is the server).</summary>
public enum Tested
{
    Server,
    Client,
}

/// <summary>
/// The peer's side of a <see cref="SessionPair"/>: a scripted WebSocket endpoint in the role under
/// test, written with the scripted server's wire helpers (no harness code), masking as its role must.
/// </summary>
internal sealed class Peer(ScriptedConnection wire, Tested role)
{
    /// <summary>RFC 6455 §5.1: a client masks every frame, a server none.</summary>
    public bool Masks => role == Tested.Client;

    public Tested Role => role;

    public ScriptedConnection Wire => wire;

    /// <summary>The next frame from the tester with its whole payload; null when TCP ended.</summary>
    public async Task<(WireHeader Header, byte[] Payload)?> ReadFrameAsync()
    {
        if (await wire.ReadHeaderAsync() is not { } header || await wire.ReadWholePayloadAsync(header) is not { } payload)
        {
            return null;
        }

        return (header, payload);
    }

    /// <summary>Reads frames until one with <paramref name="opcode"/> arrives; null when TCP ended first.</summary>
    public async Task<(WireHeader Header, byte[] Payload)?> ReadUntilAsync(byte opcode)
    {
        while (await ReadFrameAsync() is { } frame)
        {
            if (frame.Header.Opcode == opcode)
            {
                return frame;
            }
        }

        return null;
    }

    public ValueTask SendAsync(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0) =>
        wire.WriteFrameAsync(opcode, payload, fin, rsv, Masks);

    /// <summary>A close frame with exactly this payload (which may break the rules).</summary>
    public ValueTask SendCloseAsync(byte[] payload) => SendAsync(0x8, payload);

    public ValueTask SendCloseAsync(ushort code, byte[]? reason = null) => SendCloseAsync(ScriptedConnection.ClosePayload(code, reason ?? []));

    /// <summary>Ends the connection as the role should after the closing handshake: a server closes TCP, a client waits for the server to.</summary>
    public async Task EndAsync()
    {
        if (role == Tested.Server)
        {
            await wire.CloseTcpAsync(TimeSpan.FromSeconds(3));
        }
        else
        {
            await wire.WaitForPeerToCloseAsync();
        }
    }

    /// <summary>0xC0 0xAF: an overlong '/', never valid UTF-8 (RFC 3629 §3).</summary>
    public static readonly byte[] InvalidUtf8 = [0xC0, 0xAF];

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>
/// Plays one catalogue case over a plain TCP pair (the opening handshake is not part of what these
/// tests judge) with the tester in either role, against a scripted <see cref="Peer"/>, and returns
/// the judge's verdicts with the observations behind them.
/// </summary>
internal static class SessionPair
{
    public static async Task<(Verdicts Verdicts, Observations Seen)> PlayAsync(string caseId, Tested tested, Func<Peer, Task> peer, Timers? timers = null)
    {
        var @case = CaseCatalogue.Find(caseId) ?? throw new ArgumentException($"no case {caseId}", nameof(caseId));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var connecting = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await connecting.ConnectAsync((IPEndPoint)listener.LocalEndpoint, stop.Token);
        var accepted = await listener.AcceptSocketAsync(stop.Token);
        accepted.NoDelay = true;

        bool testerIsServer = tested == Tested.Client;
        var (testerSocket, peerSocket) = testerIsServer ? (accepted, connecting) : (connecting, accepted);
        var peerTask = Task.Run(async () =>
        {
            try
            {
                await peer(new Peer(new ScriptedConnection(peerSocket, stop.Token), tested));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        });

        var clock = Stopwatch.StartNew();
        var session = new CaseSession(@case, testerIsServer, TcpConnection.FromAccepted(testerSocket), timers ?? new Timers { Scale = 0.25 },
            new WireRecorder(clock, false, null), clock);
        var seen = await session.RunAsync(ReadOnlyMemory<byte>.Empty, "GET / HTTP/1.1", "HTTP/1.1 101 Switching Protocols", DateTimeOffset.UtcNow, stop.Token);
        await Task.WhenAny(peerTask, Task.Delay(3000));
        peerSocket.Dispose();
        return (Judge.Decide(@case, seen), seen);
    }

    /// <summary>A one-line account of verdicts and observations for assertion messages.</summary>
    public static string Describe((Verdicts Verdicts, Observations Seen) r) =>
        $"{r.Verdicts.Behavior} ({r.Verdicts.BehaviorReason}) / close {r.Verdicts.Close} ({r.Verdicts.CloseReason}); " +
        $"closedByMe={r.Seen.Closing.ClosedByMe} clean={r.Seen.Closing.WasClean} droppedByMe={r.Seen.Closing.DroppedByMe} remote={r.Seen.Closing.RemoteCloseCode} " +
        $"events=[{string.Join("; ", r.Seen.Events.Select(e => e.Describe()))}] log: " +
        string.Join(" | ", r.Seen.WireLog.Select(e => e.Note ?? $"{e.Direction} {e.Frame?.OpcodeName}")).Replace("\n", " ", StringComparison.Ordinal);
}
