using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Conformance.Tests.Broken;

/// <summary>A frame header as the scripted server reads it off the wire (RFC 6455 §5.2).</summary>
internal readonly record struct WireHeader(bool Fin, byte Rsv, byte Opcode, bool Masked, byte[] MaskKey, ulong Length)
{
    public bool IsControl => (Opcode & 0x8) != 0;

    /// <summary>§5.2: 0x3–0x7 and 0xB–0xF are reserved.</summary>
    public bool IsReservedOpcode => Opcode is >= 0x3 and <= 0x7 or >= 0xB;

    /// <summary>§5.2: "the most significant bit MUST be 0" in a 64-bit length.</summary>
    public bool LengthTopBitSet => (Length & (1UL << 63)) != 0;
}

/// <summary>
/// One accepted TCP connection of the <see cref="ScriptedServer"/>, with buffered reads and frame
/// helpers. Scripts (the echo endpoint or a misbehaving one) use it; none of it uses harness code,
/// so a bug in the harness's wire layer cannot hide itself here.
/// </summary>
internal sealed class ScriptedConnection(Socket socket, CancellationToken cancel)
{
    public const int BufferSize = 64 * 1024;

    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;

    public Socket Socket { get; } = socket;

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

        byte first = _buffer[_start];
        byte second = _buffer[_start + 1];
        bool masked = (second & 0x80) != 0;
        int code = second & 0x7F;
        int size = 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (!await EnsureAsync(size).ConfigureAwait(false))
        {
            return null;
        }

        var header = _buffer.AsSpan(_start, size);
        ulong length = code switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            127 => BinaryPrimitives.ReadUInt64BigEndian(header[2..]),
            _ => (ulong)code,
        };
        byte[] key = masked ? header[(size - 4)..].ToArray() : [0, 0, 0, 0];
        Consume(size);
        return new WireHeader((first & 0x80) != 0, (byte)((first >> 4) & 0x7), (byte)(first & 0xF), masked, key, length);
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
            Unmask(chunk.Span, header.MaskKey, offset);
        }

        Consume(take);
        return chunk;
    }

    /// <summary>RFC 6455 §5.3: XORs octet i of the payload with key octet (i mod 4); eight octets at a time.</summary>
    private static void Unmask(Span<byte> data, byte[] key, ulong offset)
    {
        Span<byte> rotated = stackalloc byte[8];
        for (int i = 0; i < 8; i++)
        {
            rotated[i] = key[(int)((offset + (ulong)i) & 3)];
        }

        ulong wide = MemoryMarshal.Read<ulong>(rotated);
        var longs = MemoryMarshal.Cast<byte, ulong>(data);
        for (int i = 0; i < longs.Length; i++)
        {
            longs[i] ^= wide;
        }

        for (int i = longs.Length * 8; i < data.Length; i++)
        {
            data[i] ^= rotated[i & 7];
        }
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

    /// <summary>Encodes a frame with minimal length encoding (RFC 6455 §5.2); masked with a fixed key when asked.</summary>
    public static byte[] EncodeFrame(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0, bool mask = false)
    {
        int lengthSize = payload.Length <= 125 ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8;
        int headerSize = 2 + lengthSize + (mask ? 4 : 0);
        var frame = new byte[headerSize + payload.Length];
        frame[0] = (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        byte maskBit = mask ? (byte)0x80 : (byte)0;
        switch (lengthSize)
        {
            case 0:
                frame[1] = (byte)(maskBit | payload.Length);
                break;
            case 2:
                frame[1] = (byte)(maskBit | 126);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
                break;
            default:
                frame[1] = (byte)(maskBit | 127);
                BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
                break;
        }

        payload.CopyTo(frame.AsSpan(headerSize));
        if (mask)
        {
            byte[] key = [0x11, 0x22, 0x33, 0x44];
            key.CopyTo(frame, headerSize - 4);
            for (int i = 0; i < payload.Length; i++)
            {
                frame[headerSize + i] ^= key[i & 3];
            }
        }

        return frame;
    }

    public static byte[] ClosePayload(ushort? code, ReadOnlySpan<byte> reason = default)
    {
        if (code is null)
        {
            return [];
        }

        var payload = new byte[2 + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code.Value);
        reason.CopyTo(payload.AsSpan(2));
        return payload;
    }

    public ValueTask WriteFrameAsync(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0, bool mask = false) =>
        WriteAsync(EncodeFrame(opcode, payload, fin, rsv, mask));

    public ValueTask WriteAsync(ReadOnlyMemory<byte> octets) => Stream.WriteAsync(octets, Cancel);

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
