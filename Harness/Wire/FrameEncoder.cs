using System.Buffers.Binary;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;

namespace Conformance.Harness.Wire;

/// <summary>Writes frame headers exactly as a case asks, legal or not (RFC 6455 §5.2).</summary>
internal static class FrameEncoder
{
    public const int MaxHeaderLength = 14;

    public static int HeaderLength(long payloadLength, LengthEncoding encoding, bool masked)
    {
        int length = 2 + LengthFieldSize(payloadLength, encoding);
        return masked ? length + FrameLimits.MaskKeyLength : length;
    }

    /// <summary>Writes the header into <paramref name="destination"/> and returns its length.</summary>
    public static int WriteHeader(Span<byte> destination, byte opcode, bool fin, byte rsv, long payloadLength, LengthEncoding encoding, uint? maskKey)
    {
        destination[0] = (byte)((fin ? FrameLimits.FinBit : 0) | ((rsv & 0x7) << 4) | (opcode & FrameLimits.OpcodeMask));
        byte maskBit = maskKey.HasValue ? FrameLimits.MaskBit : (byte)0;
        int position = 2;
        switch (LengthFieldSize(payloadLength, encoding))
        {
            case 0:
                destination[1] = (byte)(maskBit | payloadLength);
                break;
            case 2:
                destination[1] = (byte)(maskBit | FrameLimits.Length16Marker);
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
                position = 4;
                break;
            default:
                destination[1] = (byte)(maskBit | FrameLimits.Length64Marker);
                ulong value = (ulong)payloadLength | (encoding == LengthEncoding.Forced64TopBit ? 1UL << 63 : 0);
                BinaryPrimitives.WriteUInt64BigEndian(destination[2..], value);
                position = 10;
                break;
        }

        if (maskKey is { } key)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[position..], key);
            position += FrameLimits.MaskKeyLength;
        }

        return position;
    }

    private static int LengthFieldSize(long payloadLength, LengthEncoding encoding) => encoding switch
    {
        LengthEncoding.Forced16 when payloadLength <= ushort.MaxValue => 2,
        LengthEncoding.Forced64 or LengthEncoding.Forced64TopBit => 8,
        _ => payloadLength switch
        {
            <= FrameLimits.Max7BitLength => 0,
            <= ushort.MaxValue => 2,
            _ => 8,
        },
    };
}
