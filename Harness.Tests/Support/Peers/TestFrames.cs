using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Conformance.Tests.Support;

/// <summary>A frame header as a test peer reads it off the wire (RFC 6455 §5.2).</summary>
internal readonly record struct WireHeader(bool Fin, byte Rsv, byte Opcode, bool Masked, byte[] MaskKey, ulong Length)
{
    public bool IsControl => (Opcode & 0x8) != 0;

    /// <summary>§5.2: 0x3–0x7 and 0xB–0xF are reserved.</summary>
    public bool IsReservedOpcode => Opcode is >= 0x3 and <= 0x7 or >= 0xB;

    /// <summary>§5.2: "the most significant bit MUST be 0" in a 64-bit length.</summary>
    public bool LengthTopBitSet => (Length & (1UL << 63)) != 0;
}

/// <summary>
/// The test peers' one frame codec (RFC 6455 §5.2, §5.3), shared by the scripted server, the raw client
/// and every misbehaving script. It shares no code with the harness's wire layer, so a bug there cannot
/// hide itself here.
/// </summary>
internal static class TestFrames
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>The key <see cref="Encode"/> masks with when none is given: fixed, so the octets are predictable.</summary>
    private static readonly byte[] FixedKey = [0x11, 0x22, 0x33, 0x44];

    /// <summary>The size of a header from its second octet: 2, the extended length, and the masking key.</summary>
    public static int HeaderSize(byte second)
    {
        int code = second & 0x7F;
        return 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + ((second & 0x80) != 0 ? 4 : 0);
    }

    /// <summary>Parses a whole header (<paramref name="header"/> holds at least <see cref="HeaderSize"/> octets).</summary>
    public static WireHeader ParseHeader(ReadOnlySpan<byte> header)
    {
        byte first = header[0];
        bool masked = (header[1] & 0x80) != 0;
        int code = header[1] & 0x7F;
        int size = HeaderSize(header[1]);
        ulong length = code switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            127 => BinaryPrimitives.ReadUInt64BigEndian(header[2..]),
            _ => (ulong)code,
        };
        byte[] key = masked ? header[(size - 4)..size].ToArray() : [0, 0, 0, 0];
        return new WireHeader((first & 0x80) != 0, (byte)((first >> 4) & 0x7), (byte)(first & 0xF), masked, key, length);
    }

    /// <summary>
    /// Encodes a frame with minimal length encoding (RFC 6455 §5.2); masked when asked, with
    /// <paramref name="key"/> or else a fixed key.
    /// </summary>
    public static byte[] Encode(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0, bool mask = false, byte[]? key = null)
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
            key ??= FixedKey;
            key.CopyTo(frame, headerSize - 4);
            Unmask(frame.AsSpan(headerSize), key, 0);
        }

        return frame;
    }

    /// <summary>A close frame's payload (RFC 6455 §5.5.1): empty without a code, else the code and the reason as given.</summary>
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

    /// <summary>RFC 6455 §5.3: XORs octet i of the payload with key octet ((offset + i) mod 4); eight octets at a time.</summary>
    public static void Unmask(Span<byte> data, byte[] key, ulong offset)
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
}
