using System.Runtime.InteropServices;

namespace Conformance.Harness.Wire.Deflate;

/// <summary>
/// The tester's permessage-deflate compressor (RFC 7692 §7.2.1): raw DEFLATE with the agreed window,
/// each message ended by a sync flush whose trailing empty stored block's 00 00 ff ff is removed.
/// The LZ77 context is kept across messages unless the agreement says this direction resets it.
/// The level does not matter for any verdict, so it is fast (1) by default.
/// </summary>
internal sealed unsafe class RawDeflater : IDisposable
{
    public const int DefaultLevel = 1;

    /// <summary>An empty stored block is 5 octets (header bits padded, LEN, NLEN).</summary>
    private const int ResetOutputRoom = 64;

    private ZStream* _stream;
    private byte[] _scratch = new byte[16 * 1024];

    /// <param name="windowBits">The agreed window (8–15). zlib's raw deflate cannot use 8; it uses 9, whose matches
    /// never reach further than 2^9 − 262 = 250 octets, inside a window of 256.</param>
    public RawDeflater(int windowBits, int level = DefaultLevel)
    {
        Zlib.EnsureAvailable();
        if (windowBits is < 8 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(windowBits), windowBits, "window bits are 8–15 (RFC 7692 §7.1.2)");
        }

        WindowBits = windowBits;
        _stream = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        int code = Zlib.DeflateInit2(_stream, level, -Math.Max(9, windowBits), memLevel: 8);
        if (code != Zlib.Ok)
        {
            NativeMemory.Free(_stream);
            _stream = null;
            throw new InvalidOperationException($"deflateInit2 failed: zlib code {code}");
        }
    }

    public int WindowBits { get; }

    /// <summary>Compresses one whole message (RFC 7692 §7.2.1) and returns the payload to send.</summary>
    public byte[] Compress(ReadOnlySpan<byte> message) => Compress(message, keepTrailer: false);

    /// <summary>
    /// Compresses octets and ends them with a sync flush, keeping the trailing 00 00 ff ff: a piece that
    /// other pieces may follow in the same message (only the message's last 00 00 ff ff is removed).
    /// </summary>
    public byte[] CompressPiece(ReadOnlySpan<byte> octets) => Compress(octets, keepTrailer: true);

    private byte[] Compress(ReadOnlySpan<byte> message, bool keepTrailer)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        if (message.IsEmpty)
        {
            // zlib does nothing for a second flush without input (a buffer error, no output), so an empty message after another
            // message is written here: the empty stored block's header, and its 00 00 ff ff when kept (RFC 7692 §7.2.3.6).
            return keepTrailer ? [0x00, 0x00, 0x00, 0xFF, 0xFF] : [0x00];
        }

        int produced = 0;
        fixed (byte* input = message)
        {
            _stream->NextIn = input;
            _stream->AvailIn = (uint)message.Length;
            while (true)
            {
                if (_scratch.Length - produced < 64 + message.Length / 4)
                {
                    Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, produced + 64 + message.Length / 4));
                }

                int code;
                fixed (byte* output = _scratch)
                {
                    _stream->NextOut = output + produced;
                    _stream->AvailOut = (uint)(_scratch.Length - produced);
                    code = Zlib.Deflate(_stream, Zlib.SyncFlush);
                    produced = _scratch.Length - (int)_stream->AvailOut;
                }

                if (code is not (Zlib.Ok or Zlib.BufError))
                {
                    throw new InvalidOperationException($"deflate failed: {Zlib.Describe(_stream, code)}");
                }

                // The flush is complete once zlib leaves output space unused with all input taken.
                if (_stream->AvailOut != 0 && _stream->AvailIn == 0)
                {
                    break;
                }
            }

            _stream->NextIn = null;
        }

        // A sync flush ends with an empty stored block: 00 00 ff ff after the block header bits (§7.2.1 step 3).
        if (produced < 4 || !_scratch.AsSpan(produced - 4, 4).SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x00, 0xFF, 0xFF]))
        {
            throw new InvalidOperationException("deflate's sync flush did not end with 00 00 ff ff");
        }

        return _scratch.AsSpan(0, keepTrailer ? produced : produced - 4).ToArray();
    }

    /// <summary>
    /// Forgets the LZ77 context (no context takeover for this direction, RFC 7692 §7.1.1): a full flush
    /// clears zlib's match history. Its output, an empty stored block on the octet boundary the last
    /// message's sync flush left, is dropped: it belongs to no message and changes no decoder's state.
    /// </summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        byte* emptyBlock = stackalloc byte[ResetOutputRoom];
        _stream->NextIn = null;
        _stream->AvailIn = 0;
        _stream->NextOut = emptyBlock;
        _stream->AvailOut = ResetOutputRoom;
        int code = Zlib.Deflate(_stream, Zlib.FullFlush);
        _stream->NextOut = null;
        // zlib answers a flush that has nothing to do (nothing sent since the last full flush) with a buffer error.
        if (code is not (Zlib.Ok or Zlib.BufError) || _stream->AvailOut == 0)
        {
            throw new InvalidOperationException($"deflate's full flush failed: {Zlib.Describe(_stream, code)}");
        }
    }

    public void Dispose()
    {
        if (_stream is not null)
        {
            Zlib.DeflateEnd(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
    }
}
