using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Conformance.Harness.Wire.Deflate;

/// <summary>Where decompressed octets go, chunk by chunk, as they come out of zlib.</summary>
internal interface IInflateSink
{
    void OnInflated(ReadOnlySpan<byte> octets);
}

/// <summary>
/// The tester's permessage-deflate decompressor (RFC 7692 §7.2.2): the payload of a compressed
/// message is fed as it arrives; at its end 00 00 ff ff is appended. Output streams to a sink in
/// chunks of up to 64 KiB, so a message is never held whole. The window is the agreed one, as Autobahn's.
/// The output buffer is used as a ring, so it always holds the last window of output: after a final
/// (BFINAL) block that history is handed back to zlib, which .NET's zlib cannot be asked for.
/// </summary>
internal sealed unsafe class RawInflater : IDisposable
{
    private static readonly byte[] Trailer = [0x00, 0x00, 0xFF, 0xFF];

    private const int OutputSize = 64 * 1024;

    /// <summary>Less room than this left at the ring's end: start again at its front (≥ the largest window, 2^15, stays behind).</summary>
    private const int MinimumRoom = 16 * 1024;

    /// <summary>A non-final stored block's header: BFINAL 0, BTYPE 00, padded to the octet (RFC 1951 §3.2.4), then LEN and NLEN.</summary>
    private const int StoredHeaderLength = 5;

    private ZStream* _stream;
    private readonly byte[] _output = new byte[OutputSize];
    private int _writeAt;
    private int _lapEnd;
    private long _sinceReset;
    private bool _streamEnded;

    public RawInflater(int windowBits)
    {
        Zlib.EnsureAvailable();
        if (windowBits is < 8 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(windowBits), windowBits, "window bits are 8–15 (RFC 7692 §7.1.2)");
        }

        WindowBits = windowBits;
        _stream = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        int code = Zlib.InflateInit2(_stream, -windowBits);
        if (code != Zlib.Ok)
        {
            NativeMemory.Free(_stream);
            _stream = null;
            throw new InvalidOperationException($"inflateInit2 failed: zlib code {code}");
        }
    }

    public int WindowBits { get; }

    /// <summary>Total decompressed octets since the inflater was made.</summary>
    public long TotalOut { get; private set; }

    /// <summary>Feeds compressed octets of the current message. Returns null, or why the data is not valid DEFLATE.</summary>
    public string? Feed(ReadOnlySpan<byte> compressed, IInflateSink sink)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        if (_streamEnded || compressed.IsEmpty)
        {
            return null; // after a final block (BFINAL) the rest of the message is not DEFLATE data
        }

        fixed (byte* input = compressed)
        {
            _stream->NextIn = input;
            _stream->AvailIn = (uint)compressed.Length;
            try
            {
                while (true)
                {
                    if (OutputSize - _writeAt < MinimumRoom)
                    {
                        _lapEnd = _writeAt;
                        _writeAt = 0;
                    }

                    int code;
                    int produced;
                    fixed (byte* output = _output)
                    {
                        _stream->NextOut = output + _writeAt;
                        _stream->AvailOut = (uint)(OutputSize - _writeAt);
                        code = Zlib.Inflate(_stream, Zlib.NoFlush);
                        produced = OutputSize - _writeAt - (int)_stream->AvailOut;
                        _stream->NextOut = null;
                    }

                    if (produced > 0)
                    {
                        TotalOut += produced;
                        _sinceReset += produced;
                        var chunk = _output.AsSpan(_writeAt, produced);
                        _writeAt += produced;
                        sink.OnInflated(chunk);
                    }

                    switch (code)
                    {
                        case Zlib.StreamEnd:
                            _streamEnded = true;
                            return null;
                        case Zlib.Ok:
                            if (_stream->AvailIn == 0 && _stream->AvailOut != 0)
                            {
                                return null;
                            }

                            continue;
                        case Zlib.BufError:
                            return null; // all input taken, nothing more to write
                        default:
                            return $"invalid DEFLATE data: {Zlib.Describe(_stream, code)}";
                    }
                }
            }
            finally
            {
                _stream->NextIn = null;
                _stream->AvailIn = 0;
            }
        }
    }

    /// <summary>
    /// Ends the current message: appends 00 00 ff ff (§7.2.2) and drains the output. With
    /// <paramref name="resetContext"/> the LZ77 window is dropped (the sender agreed to no context takeover);
    /// otherwise it is kept for the next message, also across a final (BFINAL) block.
    /// </summary>
    public string? EndMessage(IInflateSink sink, bool resetContext)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        string? error = Feed(Trailer, sink);
        if (resetContext)
        {
            Reset();
        }
        else if (_streamEnded)
        {
            KeepWindowAcrossStreamEnd();
        }

        _streamEnded = false;
        return error;
    }

    private void Reset()
    {
        Zlib.InflateReset2(_stream, -WindowBits);
        _sinceReset = 0;
    }

    /// <summary>
    /// After BFINAL zlib needs a reset to read on, which empties its window. The last window of output
    /// is still in the ring; inflating it as a stored block puts it back as zlib's history.
    /// </summary>
    private void KeepWindowAcrossStreamEnd()
    {
        int length = (int)Math.Min(1 << WindowBits, _sinceReset);
        Reset();
        if (length == 0)
        {
            return;
        }

        byte[] block = ArrayPool<byte>.Shared.Rent(StoredHeaderLength + length);
        byte[] discard = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            block[0] = 0x00;
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(1), (ushort)length);
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(3), (ushort)~length);
            CopyHistory(block.AsSpan(StoredHeaderLength, length));
            fixed (byte* input = block)
            fixed (byte* output = discard)
            {
                _stream->NextIn = input;
                _stream->AvailIn = (uint)(StoredHeaderLength + length);
                _stream->NextOut = output;
                _stream->AvailOut = (uint)length;
                int code = Zlib.Inflate(_stream, Zlib.NoFlush);
                bool whole = code == Zlib.Ok && _stream->AvailIn == 0 && _stream->AvailOut == 0;
                _stream->NextIn = null;
                _stream->NextOut = null;
                _stream->AvailIn = 0;
                if (!whole)
                {
                    throw new InvalidOperationException($"restoring the window after a final block failed: {Zlib.Describe(_stream, code)}");
                }
            }

            _sinceReset = length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
            ArrayPool<byte>.Shared.Return(discard);
        }
    }

    /// <summary>The last <paramref name="history"/>.Length octets of output, from the ring (possibly across its wrap).</summary>
    private void CopyHistory(Span<byte> history)
    {
        int fromThisLap = Math.Min(history.Length, _writeAt);
        int fromLastLap = history.Length - fromThisLap;
        _output.AsSpan(_lapEnd - fromLastLap, fromLastLap).CopyTo(history);
        _output.AsSpan(_writeAt - fromThisLap, fromThisLap).CopyTo(history[fromLastLap..]);
    }

    public void Dispose()
    {
        if (_stream is not null)
        {
            Zlib.InflateEnd(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
    }
}
