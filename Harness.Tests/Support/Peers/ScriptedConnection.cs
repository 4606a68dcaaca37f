using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace Conformance.Tests.Support;

/// <summary>
/// One TCP connection of a test peer (a <see cref="PeerServer"/>'s accepted connection or a
/// <see cref="Clients.RawClient"/>'s), in the style of Npgsql's PgServerMock: buffered reads with frame
/// and request-head helpers, fluent writes (<see cref="Write(ReadOnlySpan{byte})"/>, <see cref="WriteFrame"/>,
/// <see cref="WriteClose"/>, then <see cref="FlushAsync"/>) and expectations (<see cref="ExpectFrameAsync"/>).
/// Scripts (the echo endpoint or a misbehaving one) use it; none of it uses harness code, so a bug in the
/// harness's wire layer cannot hide itself here.
/// </summary>
internal sealed class ScriptedConnection(Socket socket, CancellationToken cancel, int number = 0)
{
    public const int BufferSize = 64 * 1024;

    /// <summary>The largest request head a test peer reads (RFC 6455 §4.2.1 sets none; ours is generous).</summary>
    public const int MaxRequestHead = 16 * 1024;

    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly ArrayBufferWriter<byte> _pending = new();
    private int _start;
    private int _end;

    public Socket Socket { get; } = socket;

    /// <summary>The order in which the server accepted this connection, from 1 (0 for a client's own connection).</summary>
    public int Number { get; } = number;

    /// <summary>The request head read by <see cref="ReadRequestAsync"/>, if any.</summary>
    public PeerRequest? Request { get; private set; }

    /// <summary>What the handshake hook agreed (e.g. a negotiated extension), for the script that follows.</summary>
    public object? State { get; set; }

    public NetworkStream Stream { get; } = new(socket, ownsSocket: false);

    /// <summary>Cancelled when the server is disposed.</summary>
    public CancellationToken Cancel { get; } = cancel;

    public int Buffered => _end - _start;

    /// <summary>Reads until at least <paramref name="count"/> octets are buffered; false when the peer closed first.</summary>
    public async ValueTask<bool> EnsureAsync(int count)
    {
        if (Buffered >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, Buffered);
            _end -= _start;
            _start = 0;
        }

        while (_end < count)
        {
            int read = await Stream.ReadAsync(_buffer.AsMemory(_end), Cancel).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }

    /// <summary>Reads at least one more octet into the buffer; false at end of stream or when the buffer is full.</summary>
    public async ValueTask<bool> ReadMoreAsync()
    {
        if (_end == _buffer.Length && _start == 0)
        {
            return false;
        }

        return await EnsureAsync(Buffered + 1).ConfigureAwait(false);
    }

    public ReadOnlySpan<byte> Peek() => _buffer.AsSpan(_start, Buffered);

    public void Consume(int count) => _start += count;

    /// <summary>The next frame header, or null when the peer closed the connection between frames.</summary>
    public async ValueTask<WireHeader?> ReadHeaderAsync()
    {
        if (!await EnsureAsync(2).ConfigureAwait(false))
        {
            return null;
        }

        int size = TestFrames.HeaderSize(_buffer[_start + 1]);
        if (!await EnsureAsync(size).ConfigureAwait(false))
        {
            return null;
        }

        var header = TestFrames.ParseHeader(_buffer.AsSpan(_start, size));
        Consume(size);
        return header;
    }

    /// <summary>Up to <paramref name="max"/> payload octets (at least one), unmasked in place; empty at end of stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadPayloadAsync(WireHeader header, ulong offset, ulong max)
    {
        if (Buffered == 0 && !await EnsureAsync(1).ConfigureAwait(false))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        int take = (int)Math.Min((ulong)Buffered, max);
        var chunk = _buffer.AsMemory(_start, take);
        if (header.Masked)
        {
            TestFrames.Unmask(chunk.Span, header.MaskKey, offset);
        }

        Consume(take);
        return chunk;
    }

    /// <summary>The whole payload of a small (control) frame.</summary>
    public async ValueTask<byte[]?> ReadWholePayloadAsync(WireHeader header)
    {
        var payload = new byte[(int)header.Length];
        ulong done = 0;
        while (done < header.Length)
        {
            var chunk = await ReadPayloadAsync(header, done, header.Length - done).ConfigureAwait(false);
            if (chunk.IsEmpty)
            {
                return null;
            }

            chunk.Span.CopyTo(payload.AsSpan((int)done));
            done += (ulong)chunk.Length;
        }

        return payload;
    }

    /// <summary>Reads and forgets a frame's payload; false when the connection ended inside it.</summary>
    public async ValueTask<bool> SkipPayloadAsync(WireHeader header)
    {
        ulong done = 0;
        while (done < header.Length)
        {
            var chunk = await ReadPayloadAsync(header, done, header.Length - done).ConfigureAwait(false);
            if (chunk.IsEmpty)
            {
                return false;
            }

            done += (ulong)chunk.Length;
        }

        return true;
    }

    /// <summary>See <see cref="TestFrames.Encode"/>.</summary>
    public static byte[] EncodeFrame(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0, bool mask = false) =>
        TestFrames.Encode(opcode, payload, fin, rsv, mask);

    public static byte[] ClosePayload(ushort? code, ReadOnlySpan<byte> reason = default) => TestFrames.ClosePayload(code, reason);

    public ValueTask WriteFrameAsync(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0, bool mask = false) =>
        WriteAsync(EncodeFrame(opcode, payload, fin, rsv, mask));

    public ValueTask WriteAsync(ReadOnlyMemory<byte> octets) => Stream.WriteAsync(octets, Cancel);

    /// <summary>Queues octets for the next <see cref="FlushAsync"/>.</summary>
    public ScriptedConnection Write(ReadOnlySpan<byte> octets)
    {
        _pending.Write(octets);
        return this;
    }

    /// <summary>Queues text as UTF-8 (an HTTP head is ASCII, a hostile one need not be).</summary>
    public ScriptedConnection Write(string text) => Write(Encoding.UTF8.GetBytes(text));

    /// <summary>Queues a frame (see <see cref="TestFrames.Encode"/>).</summary>
    public ScriptedConnection WriteFrame(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0, bool mask = false) =>
        Write(TestFrames.Encode(opcode, payload, fin, rsv, mask));

    /// <summary>Queues a close frame with <paramref name="code"/> and <paramref name="reason"/> as given (valid or not).</summary>
    public ScriptedConnection WriteClose(ushort? code, ReadOnlySpan<byte> reason = default, bool mask = false) =>
        WriteFrame(TestFrames.Close, TestFrames.ClosePayload(code, reason), mask: mask);

    /// <summary>Sends everything queued in one write.</summary>
    public async ValueTask FlushAsync()
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }

        await Stream.WriteAsync(_pending.WrittenMemory, Cancel).ConfigureAwait(false);
        _pending.ResetWrittenCount();
    }

    /// <summary>The next whole frame (payload unmasked), or null when TCP ended first.</summary>
    public async ValueTask<(WireHeader Header, byte[] Payload)?> ReadFrameAsync()
    {
        if (await ReadHeaderAsync().ConfigureAwait(false) is not { } header || await ReadWholePayloadAsync(header).ConfigureAwait(false) is not { } payload)
        {
            return null;
        }

        return (header, payload);
    }

    /// <summary>Reads frames, forgetting others, until one with <paramref name="opcode"/> arrives; null when TCP ended first.</summary>
    public async ValueTask<byte[]?> SkipUntilAsync(byte opcode)
    {
        while (await ReadFrameAsync().ConfigureAwait(false) is { } frame)
        {
            if (frame.Header.Opcode == opcode)
            {
                return frame.Payload;
            }
        }

        return null;
    }

    /// <summary>The next frame, which must have <paramref name="opcode"/>: anything else fails the script (see <see cref="PeerServer.Errors"/>).</summary>
    public async ValueTask<byte[]> ExpectFrameAsync(byte opcode)
    {
        var frame = await ReadFrameAsync().ConfigureAwait(false)
            ?? throw new PeerExpectationException($"expected a frame with opcode 0x{opcode:X}, but the peer closed TCP");
        return frame.Header.Opcode == opcode
            ? frame.Payload
            : throw new PeerExpectationException($"expected a frame with opcode 0x{opcode:X}, got 0x{frame.Header.Opcode:X} ({frame.Payload.Length} octets)");
    }

    /// <summary>
    /// Reads an HTTP request head up to its empty line (RFC 6455 §4.2.1) and keeps it as <see cref="Request"/>;
    /// null when the peer closed first or the head outgrew <paramref name="limit"/>. Octets after it stay buffered.
    /// </summary>
    public async ValueTask<PeerRequest?> ReadRequestAsync(int limit = MaxRequestHead)
    {
        int headLength;
        while ((headLength = Peek().IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (Buffered > limit || !await ReadMoreAsync().ConfigureAwait(false))
            {
                return null;
            }
        }

        Request = new PeerRequest(Encoding.ASCII.GetString(Peek()[..headLength]));
        Consume(headLength + 4);
        return Request;
    }

    /// <summary>
    /// Ends the connection the polite way (RFC 6455 §7.1.1: the server closes TCP first): FIN, then
    /// read and forget until the peer closes too (or <paramref name="patience"/> runs out), so unread
    /// octets never turn the close into a reset.
    /// </summary>
    public async Task CloseTcpAsync(TimeSpan? patience = null)
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            deadline.CancelAfter(patience ?? TimeSpan.FromSeconds(5));
            var scratch = new byte[16 * 1024];
            while (await Stream.ReadAsync(scratch, deadline.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Socket.Close();
        }
    }

    /// <summary>Reads and forgets, sending nothing, until the peer closes the connection (or the server stops).</summary>
    public async Task WaitForPeerToCloseAsync()
    {
        var scratch = new byte[16 * 1024];
        while (await Stream.ReadAsync(scratch, Cancel).ConfigureAwait(false) > 0)
        {
        }
    }

    /// <summary>Reads and forgets, sending nothing, until the peer closes the connection or <paramref name="patience"/> runs out.</summary>
    public async Task DrainAsync(TimeSpan patience)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(patience);
        var scratch = new byte[4096];
        while (await Stream.ReadAsync(scratch, deadline.Token).ConfigureAwait(false) > 0)
        {
        }
    }

    /// <summary>Drops TCP at once without any close frame: what is readable is read first, so the drop is a FIN rather than a reset.</summary>
    public void DropTcp()
    {
        try
        {
            var scratch = new byte[16 * 1024];
            while (Socket.Available > 0 && Socket.Receive(scratch) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        Socket.Close();
    }

    /// <summary>Aborts the connection with a TCP reset (SO_LINGER 0, then close).</summary>
    public void ResetTcp()
    {
        try
        {
            Socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        Socket.Close();
    }

    /// <summary>Waits, reading nothing and sending nothing, until the server is disposed.</summary>
    public Task StallAsync() => Task.Delay(Timeout.Infinite, Cancel);
}
