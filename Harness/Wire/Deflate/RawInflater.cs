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
/// 64 KiB chunks, so a message is never held whole. The window is the agreed one, as Autobahn's.
/// </summary>
internal sealed unsafe class RawInflater : IDisposable
{
    private static readonly byte[] Trailer = [0x00, 0x00, 0xFF, 0xFF];

    private ZStream* _stream;
    private readonly byte[] _output = new byte[64 * 1024];
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
                    int code;
                    int produced;
                    fixed (byte* output = _output)
                    {
                        _stream->NextOut = output;
                        _stream->AvailOut = (uint)_output.Length;
                        code = Zlib.Inflate(_stream, Zlib.NoFlush);
                        produced = _output.Length - (int)_stream->AvailOut;
                    }

                    if (produced > 0)
                    {
                        TotalOut += produced;
                        sink.OnInflated(_output.AsSpan(0, produced));
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
            Zlib.InflateReset(_stream);
        }
        else if (_streamEnded)
        {
            KeepWindowAcrossStreamEnd();
        }

        _streamEnded = false;
        return error;
    }

    /// <summary>After BFINAL zlib needs a reset to read on; the window survives through get/set dictionary.</summary>
    private void KeepWindowAcrossStreamEnd()
    {
        var window = new byte[1 << WindowBits];
        uint length = (uint)window.Length;
        fixed (byte* dictionary = window)
        {
            Zlib.InflateGetDictionary(_stream, dictionary, &length);
            Zlib.InflateReset(_stream);
            if (length > 0)
            {
                Zlib.InflateSetDictionary(_stream, dictionary, length);
            }
        }
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
