using System.Collections.Concurrent;
using Conformance.Cases.Data;

namespace Conformance.Harness.Wire.Deflate;

/// <summary>
/// Compresses the messages of categories 12/13 cheaply. A data set is cut into aligned stretches of
/// 65 536 and of 8 192 units; each stretch is compressed once per window size, on its own (fresh LZ77
/// context, level 9, ended by a sync flush), and kept. A message is the compressed pieces of the largest
/// stretches it covers, with its ragged ends (under 8 192 units each) compressed afresh at the fast
/// level, all concatenated; only the last 00 00 ff ff is removed. Messages under 16 384 units are
/// compressed whole at the fast level. No piece refers outside itself, so the
/// result is valid DEFLATE whatever context the receiver keeps (RFC 7692 lets a sender that may take over
/// context simply not do it). The same messages recur in 8 subcategories (12.1, 13.1–13.7), so this saves
/// nearly all of the tester's own compression, and the ratio stays close to Autobahn's level 6, so the
/// auto-fragmented cases cut about as many frames as Autobahn's do.
/// </summary>
internal static class DataSetCompressor
{
    /// <summary>Stretch sizes in units, largest first; each divides the one before.</summary>
    public static readonly int[] StretchUnits = [65536, 8192];

    public const int CachedLevel = 9;

    private static readonly ConcurrentDictionary<(DataSet Data, int WindowBits), byte[]?[][]> Cache = new();

    /// <summary>The payload of message <paramref name="index"/> of <paramref name="units"/> units (see <see cref="DataSet.Message"/>).</summary>
    /// <param name="deflater">The session's compressor, with the window agreed for the tester; it is reset before and after use.</param>
    public static byte[] Compress(DataSet data, int units, int index, RawDeflater deflater)
    {
        byte[]? payload = null;
        int length = Compress(data, units, index, deflater, ref payload);
        return payload!.Length == length ? payload : payload[..length];
    }

    /// <summary>As <see cref="Compress(DataSet, int, int, RawDeflater)"/>, into a reused buffer (grown when needed); returns the payload length.</summary>
    public static int Compress(DataSet data, int units, int index, RawDeflater deflater, ref byte[]? output)
    {
        deflater.Reset();
        try
        {
            int smallest = StretchUnits[^1];
            if (units < 2 * smallest)
            {
                var whole = deflater.Compress(data.Message(units, index));
                Store(whole, whole.Length, ref output);
                return whole.Length;
            }

            var levels = Cache.GetOrAdd((data, deflater.WindowBits), key =>
                StretchUnits.Select(size => new byte[]?[(key.Data.Units + size - 1) / size]).ToArray());
            int total = data.Units;
            long position = (long)index * units % total;
            long left = units;
            var pieces = new List<byte[]>(units / smallest + 4);
            int length = 0;
            while (left > 0)
            {
                byte[]? piece = null;
                for (int level = 0; level < StretchUnits.Length && piece is null; level++)
                {
                    int size = StretchUnits[level];
                    long end = Math.Min(position + size, total);
                    if (position % size == 0 && left >= end - position)
                    {
                        long stretch = position / size;
                        piece = Volatile.Read(ref levels[level][stretch]) ?? Fill(levels[level], stretch, data.Range(position, end - position).Span, deflater.WindowBits);
                        left -= end - position;
                        position = end;
                    }
                }

                if (piece is null)
                {
                    long boundary = Math.Min((position / smallest + 1) * smallest, total);
                    long take = Math.Min(boundary - position, left);
                    deflater.Reset();
                    piece = deflater.CompressPiece(data.Range(position, take).Span);
                    left -= take;
                    position += take;
                }

                if (position == total)
                {
                    position = 0;
                }

                pieces.Add(piece);
                length += piece.Length;
            }

            int payloadLength = length - 4;
            if (output is null || output.Length < payloadLength)
            {
                output = new byte[payloadLength];
            }

            int offset = 0;
            foreach (var piece in pieces)
            {
                int take = Math.Min(piece.Length, payloadLength - offset);
                piece.AsSpan(0, take).CopyTo(output.AsSpan(offset));
                offset += take;
            }

            return payloadLength;
        }
        finally
        {
            deflater.Reset();
        }
    }

    private static void Store(byte[] octets, int length, ref byte[]? output)
    {
        if (output is null || output.Length < length)
        {
            output = new byte[Math.Max(length, 4096)];
        }

        octets.AsSpan(0, length).CopyTo(output);
    }

    private static byte[] Fill(byte[]?[] stretches, long stretch, ReadOnlySpan<byte> octets, int windowBits)
    {
        using var deflater = new RawDeflater(windowBits, CachedLevel);
        var piece = deflater.CompressPiece(octets);
        return Interlocked.CompareExchange(ref stretches[stretch], piece, null) ?? piece;
    }
}
