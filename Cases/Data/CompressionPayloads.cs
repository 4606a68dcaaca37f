using System.Text;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Data;

/// <summary>
/// Small payloads for category 14: text with repeats at chosen distances (to see which window a
/// compressor uses), and hand-built DEFLATE data (RFC 1951) that is legal or deliberately broken.
/// </summary>
public static class CompressionPayloads
{
    /// <summary>
    /// ASCII text made of <paramref name="pairs"/> pairs of identical blocks of <paramref name="blockLength"/>
    /// random lower-case letters: a compressor whose window exceeds the block length finds every second block
    /// as one back-reference of that distance; a smaller window finds nothing there.
    /// </summary>
    public static Payload RepeatedBlocks(int blockLength, int pairs, ulong seed)
    {
        var random = new DataRandom(seed);
        var text = new byte[2 * blockLength * pairs];
        for (int p = 0; p < pairs; p++)
        {
            var block = text.AsSpan(2 * p * blockLength, blockLength);
            for (int i = 0; i < block.Length; i++)
            {
                block[i] = (byte)('a' + random.Below(26));
            }

            block.CopyTo(text.AsSpan((2 * p + 1) * blockLength));
        }

        return Payload.Of(text);
    }

    /// <summary>
    /// ASCII text of <paramref name="length"/> random letters in which the first <paramref name="repeat"/>
    /// octets come again <paramref name="distance"/> octets later: the repeat needs a window that large.
    /// </summary>
    public static Payload FarRepeat(int length, int distance, int repeat, ulong seed)
    {
        var random = new DataRandom(seed);
        var text = new byte[length];
        for (int i = 0; i < length; i++)
        {
            text[i] = (byte)('a' + random.Below(26));
        }

        text.AsSpan(0, repeat).CopyTo(text.AsSpan(distance));
        return Payload.Of(text);
    }

    /// <summary>
    /// DEFLATE data as a permessage-deflate payload (the receiver appends 00 00 ff ff): one stored block
    /// holding <paramref name="octets"/>, then the header bits of the empty stored block that the appended
    /// octets complete (RFC 7692 §7.2.3.3). Needs no compressor, so any octets can be "compressed".
    /// </summary>
    public static Payload Stored(ReadOnlySpan<byte> octets)
    {
        var payload = new byte[5 + octets.Length + 1];
        payload[1] = (byte)octets.Length;
        payload[2] = (byte)(octets.Length >> 8);
        payload[3] = (byte)~payload[1];
        payload[4] = (byte)~payload[2];
        octets.CopyTo(payload.AsSpan(5));
        return Payload.Of(payload);
    }

    /// <summary>
    /// A fixed-Huffman block (RFC 1951 §3.2.6) with the literal 'A' and then a back-reference of length 3
    /// and distance 100, although only 1 octet precedes it: invalid data ("distance too far back") for a
    /// fresh decompressor, then the empty stored block header the appended 00 00 ff ff completes.
    /// </summary>
    public static Payload DistanceTooFarBack()
    {
        var bits = new BitWriter();
        bits.Write(0, 1);                         // BFINAL = 0
        bits.Write(1, 2);                         // BTYPE = 01, fixed Huffman codes
        bits.WriteCode(0x30 + 'A', 8);            // literal 0x41: codes 00110000 + value
        bits.WriteCode(257 - 256, 7);             // length 3: symbol 257, 7-bit code 0000001
        bits.WriteCode(13, 5);                    // distance 97-128: code 13
        bits.Write(100 - 97, 5);                  // 5 extra bits: 3
        bits.WriteCode(0, 7);                     // end of block (symbol 256)
        bits.Write(0, 3);                         // an empty stored block begins: BFINAL 0, BTYPE 00
        return Payload.Of(bits.ToArray());
    }

    /// <summary>ASCII text, for descriptions.</summary>
    public static Payload Text(string text) => Payload.Of(Encoding.UTF8.GetBytes(text));

    /// <summary>Least-significant-bit-first packing; Huffman codes go most-significant bit first (RFC 1951 §3.1.1).</summary>
    private sealed class BitWriter
    {
        private readonly List<byte> _octets = [];
        private int _buffer;
        private int _count;

        public void Write(int value, int bits)
        {
            for (int i = 0; i < bits; i++)
            {
                Push((value >> i) & 1);
            }
        }

        public void WriteCode(int code, int bits)
        {
            for (int i = bits - 1; i >= 0; i--)
            {
                Push((code >> i) & 1);
            }
        }

        private void Push(int bit)
        {
            _buffer |= bit << _count;
            if (++_count == 8)
            {
                _octets.Add((byte)_buffer);
                _buffer = 0;
                _count = 0;
            }
        }

        public byte[] ToArray()
        {
            if (_count > 0)
            {
                _octets.Add((byte)_buffer);
                _buffer = 0;
                _count = 0;
            }

            return [.. _octets];
        }
    }
}
