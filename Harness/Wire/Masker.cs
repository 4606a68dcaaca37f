using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Conformance.Harness.Wire;

/// <summary>RFC 6455 §5.3: octet i of the payload is XORed with octet (i mod 4) of the masking key.</summary>
internal static class Masker
{
    /// <summary>Masks (or unmasks) <paramref name="data"/>, the part of a payload that starts at <paramref name="payloadOffset"/>.</summary>
    public static void Apply(Span<byte> data, uint key, long payloadOffset)
    {
        if (key == 0 || data.IsEmpty)
        {
            return;
        }

        // Rotate the key so that data[0] lines up with key octet (payloadOffset mod 4).
        int shift = (int)(payloadOffset & 3);
        Span<byte> keyOctets = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(keyOctets, key);
        Span<byte> rotated = stackalloc byte[8];
        for (int i = 0; i < 8; i++)
        {
            rotated[i] = keyOctets[(shift + i) & 3];
        }

        ulong wide = MemoryMarshal.Read<ulong>(rotated);
        int index = 0;
        if (Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            var mask = new Vector<ulong>(wide).As<ulong, byte>();
            var vectors = MemoryMarshal.Cast<byte, Vector<byte>>(data);
            for (int v = 0; v < vectors.Length; v++)
            {
                vectors[v] ^= mask;
            }

            index = vectors.Length * Vector<byte>.Count;
        }

        var longs = MemoryMarshal.Cast<byte, ulong>(data[index..]);
        for (int i = 0; i < longs.Length; i++)
        {
            longs[i] ^= wide;
        }

        index += longs.Length * 8;
        for (; index < data.Length; index++)
        {
            data[index] ^= rotated[index & 3];
        }
    }
}
