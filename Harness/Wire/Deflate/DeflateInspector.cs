namespace Conformance.Harness.Wire.Deflate;

/// <summary>What <see cref="DeflateInspector"/> found in one compressed message.</summary>
/// <param name="Produced">Octets the message decompresses to.</param>
/// <param name="MaxDistance">The longest back-reference distance used (0 when none).</param>
/// <param name="Problem">The first rule the data breaks, in words; null when none.</param>
internal readonly record struct DeflateFindings(long Produced, int MaxDistance, string? Problem);

/// <summary>
/// Reads a DEFLATE stream (RFC 1951) symbol by symbol without producing output, to check what zlib
/// does not: every back-reference distance against the agreed window (RFC 7692 §7.1.2), and against
/// the octets the sender may refer to (none before the message start when it agreed to no context
/// takeover, §7.1.1). zlib's inflate only notices a too-far distance when it happens to reach past its
/// own buffers, so an oversized window usually goes unseen there. A straightforward decoder after Mark
/// Adler's puff.c: slow per symbol, used only on the small messages of the cases that ask for it.
/// </summary>
internal static class DeflateInspector
{
    private const int MaxBits = 15;

    private static readonly short[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    private static readonly short[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly int[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    private static readonly short[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    private static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    private static readonly Lazy<(Huffman Lengths, Huffman Distances)> Fixed = new(BuildFixed);

    /// <param name="payload">The message's compressed payload as sent (without the 00 00 ff ff the receiver appends).</param>
    /// <param name="windowBits">The agreed window of the sender (RFC 7692 §7.1.2): distances up to 2^bits are allowed.</param>
    /// <param name="history">Octets of earlier messages the sender may refer to (0 when its context is reset per message).</param>
    /// <param name="noContextTakeover">Whether the sender agreed not to take over context; only changes the wording.</param>
    public static DeflateFindings Inspect(ReadOnlySpan<byte> payload, int windowBits, long history, bool noContextTakeover)
    {
        byte[] data = [.. payload, 0x00, 0x00, 0xFF, 0xFF];
        var state = new Bits(data);
        int window = 1 << windowBits;
        long produced = 0;
        int maxDistance = 0;
        try
        {
            bool last;
            do
            {
                if (state.AtEnd)
                {
                    return new(produced, maxDistance, null); // the sync flush's empty stored block was the last one
                }

                last = state.Read(1) == 1;
                int type = state.Read(2);
                switch (type)
                {
                    case 0:
                        produced += Stored(ref state);
                        break;
                    case 1:
                    case 2:
                        var (lengths, distances) = type == 1 ? Fixed.Value : Dynamic(ref state);
                        while (true)
                        {
                            int symbol = lengths.Decode(ref state);
                            if (symbol < 256)
                            {
                                produced++;
                                continue;
                            }

                            if (symbol == 256)
                            {
                                break;
                            }

                            symbol -= 257;
                            if (symbol >= 29)
                            {
                                return new(produced, maxDistance, "invalid DEFLATE data: length code 286 or 287");
                            }

                            int length = LengthBase[symbol] + state.Read(LengthExtra[symbol]);
                            int code = distances.Decode(ref state);
                            if (code >= 30)
                            {
                                return new(produced, maxDistance, "invalid DEFLATE data: distance code 30 or 31");
                            }

                            int distance = DistanceBase[code] + state.Read(DistanceExtra[code]);
                            maxDistance = Math.Max(maxDistance, distance);
                            if (distance > window)
                            {
                                return new(produced, maxDistance,
                                    $"a back-reference at octet {produced} of the message reaches {distance} octets back, beyond the agreed window of {window} octets (max_window_bits={windowBits}, RFC 7692 §7.1.2)");
                            }

                            if (distance > produced + history)
                            {
                                return new(produced, maxDistance, noContextTakeover
                                    ? $"a back-reference at octet {produced} of the message reaches {distance} octets back, {distance - produced} octets before the message start: the sender kept its LZ77 context although no context takeover was agreed (RFC 7692 §7.1.1)"
                                    : $"a back-reference at octet {produced} of the message reaches {distance} octets back, before any data the sender had sent (RFC 1951 §3.2.3)");
                            }

                            produced += length;
                        }

                        break;
                    default:
                        return new(produced, maxDistance, "invalid DEFLATE data: block type 3 (RFC 1951 §3.2.3)");
                }
            }
            while (!last);
        }
        catch (InvalidDataException e)
        {
            return new(produced, maxDistance, e.Message);
        }

        return new(produced, maxDistance, null);
    }

    private static int Stored(ref Bits state)
    {
        state.AlignToByte();
        int length = state.ReadAlignedUInt16();
        int complement = state.ReadAlignedUInt16();
        if (length != (~complement & 0xFFFF))
        {
            throw new InvalidDataException("invalid DEFLATE data: stored block length does not match its complement (RFC 1951 §3.2.4)");
        }

        state.SkipAligned(length);
        return length;
    }

    private static (Huffman, Huffman) Dynamic(ref Bits state)
    {
        int literalCount = state.Read(5) + 257;
        int distanceCount = state.Read(5) + 1;
        int codeCount = state.Read(4) + 4;
        if (literalCount > 286 || distanceCount > 30)
        {
            throw new InvalidDataException("invalid DEFLATE data: too many length or distance codes");
        }

        var codeLengths = new short[19];
        for (int i = 0; i < codeCount; i++)
        {
            codeLengths[CodeLengthOrder[i]] = (short)state.Read(3);
        }

        var codeLengthCode = new Huffman(codeLengths);
        var lengths = new short[literalCount + distanceCount];
        for (int i = 0; i < lengths.Length;)
        {
            int symbol = codeLengthCode.Decode(ref state);
            if (symbol < 16)
            {
                lengths[i++] = (short)symbol;
                continue;
            }

            short repeat = 0;
            int count;
            if (symbol == 16)
            {
                if (i == 0)
                {
                    throw new InvalidDataException("invalid DEFLATE data: repeat with no previous length");
                }

                repeat = lengths[i - 1];
                count = 3 + state.Read(2);
            }
            else
            {
                count = symbol == 17 ? 3 + state.Read(3) : 11 + state.Read(7);
            }

            if (i + count > lengths.Length)
            {
                throw new InvalidDataException("invalid DEFLATE data: too many code lengths");
            }

            while (count-- > 0)
            {
                lengths[i++] = repeat;
            }
        }

        if (lengths[256] == 0)
        {
            throw new InvalidDataException("invalid DEFLATE data: no end-of-block code");
        }

        return (new Huffman(lengths.AsSpan(0, literalCount)), new Huffman(lengths.AsSpan(literalCount)));
    }

    private static (Huffman, Huffman) BuildFixed()
    {
        var lengths = new short[288];
        for (int i = 0; i < 288; i++)
        {
            lengths[i] = (short)(i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
        }

        var distances = new short[30];
        Array.Fill(distances, (short)5);
        return (new Huffman(lengths), new Huffman(distances));
    }

    /// <summary>A canonical Huffman code: how many codes of each length, and the symbols in code order.</summary>
    private sealed class Huffman
    {
        private readonly short[] _count = new short[MaxBits + 1];
        private readonly short[] _symbol;

        public Huffman(ReadOnlySpan<short> lengths)
        {
            _symbol = new short[lengths.Length];
            foreach (short length in lengths)
            {
                _count[length]++;
            }

            var offsets = new short[MaxBits + 1];
            for (int length = 1; length < MaxBits; length++)
            {
                offsets[length + 1] = (short)(offsets[length] + _count[length]);
            }

            for (short symbol = 0; symbol < lengths.Length; symbol++)
            {
                if (lengths[symbol] != 0)
                {
                    _symbol[offsets[lengths[symbol]]++] = symbol;
                }
            }
        }

        public int Decode(ref Bits state)
        {
            int code = 0;
            int first = 0;
            int index = 0;
            for (int length = 1; length <= MaxBits; length++)
            {
                code |= state.Read(1);
                int count = _count[length];
                if (code - count < first)
                {
                    return _symbol[index + (code - first)];
                }

                index += count;
                first += count;
                first <<= 1;
                code <<= 1;
            }

            throw new InvalidDataException("invalid DEFLATE data: a code that is not in the Huffman table");
        }
    }

    /// <summary>Least-significant-bit-first reading, as RFC 1951 §3.1.1 packs the bits.</summary>
    private ref struct Bits(byte[] data)
    {
        private readonly byte[] _data = data;
        private int _position;
        private int _buffer;
        private int _count;

        public readonly bool AtEnd => _position >= _data.Length && _count == 0;

        public int Read(int bits)
        {
            int value = _buffer;
            while (_count < bits)
            {
                if (_position >= _data.Length)
                {
                    throw new InvalidDataException("the DEFLATE data ends inside a block, even after the 00 00 ff ff the receiver appends (RFC 7692 §7.2.1)");
                }

                value |= _data[_position++] << _count;
                _count += 8;
            }

            _buffer = value >> bits;
            _count -= bits;
            return value & ((1 << bits) - 1);
        }

        public void AlignToByte()
        {
            _buffer = 0;
            _count = 0;
        }

        public int ReadAlignedUInt16()
        {
            if (_position + 2 > _data.Length)
            {
                throw new InvalidDataException("the DEFLATE data ends inside a stored block header (RFC 7692 §7.2.1)");
            }

            int value = _data[_position] | (_data[_position + 1] << 8);
            _position += 2;
            return value;
        }

        public void SkipAligned(int octets)
        {
            if (_position + octets > _data.Length)
            {
                throw new InvalidDataException("the DEFLATE data ends inside a stored block");
            }

            _position += octets;
        }
    }
}
