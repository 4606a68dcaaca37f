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
        deflater.Reset();
        try
        {
            int smallest = StretchUnits[^1];
            if (units < 2 * smallest)
            {
                return deflater.Compress(data.Message(units, index));
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

            var payload = new byte[length - 4];
            int offset = 0;
            foreach (var piece in pieces)
            {
                int take = Math.Min(piece.Length, payload.Length - offset);
                piece.AsSpan(0, take).CopyTo(payload.AsSpan(offset));
                offset += take;
            }

            return payload;
        }
        finally
        {
            deflater.Reset();
        }
    }

    private static byte[] Fill(byte[]?[] stretches, long stretch, ReadOnlySpan<byte> octets, int windowBits)
    {
        using var deflater = new RawDeflater(windowBits, CachedLevel);
        var piece = deflater.CompressPiece(octets);
        return Interlocked.CompareExchange(ref stretches[stretch], piece, null) ?? piece;
    }
}
