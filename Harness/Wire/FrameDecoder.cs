using System.Buffers.Binary;
using Conformance.Cases.Protocol;

namespace Conformance.Harness.Wire;

/// <summary>Receives what the decoder finds, in wire order.</summary>
internal interface IFrameSink
{
    void OnFrameStart(in FrameHeader header, ReadOnlySpan<byte> rawHeader);

    /// <summary>A piece of the current frame's payload, already unmasked.</summary>
    void OnPayload(ReadOnlySpan<byte> payload);

    void OnFrameEnd();
}

/// <summary>
/// Incremental frame decoder: octets in, frames out through an <see cref="IFrameSink"/>, for any
/// split of the input. Payloads are streamed, never buffered, so a peer announcing a 2^63-octet
/// frame costs nothing. It never throws on peer input; it reports length-field violations as
/// errors (RFC 6455 §5.2) and stops.
/// </summary>
internal sealed class FrameDecoder(IFrameSink sink)
{
    private readonly byte[] _header = new byte[FrameEncoder.MaxHeaderLength];
    private int _headerFilled;
    private FrameHeader _current;
    private ulong _payloadRemaining;
    private long _payloadOffset;
    private bool _inPayload;

    /// <summary>The first error found; once set, the decoder ignores further input.</summary>
    public string? Error { get; private set; }

    /// <summary>True when the decoder stopped between frames (no partial header or payload pending).</summary>
    public bool AtFrameBoundary => !_inPayload && _headerFilled == 0;

    public void Feed(ReadOnlySpan<byte> input)
    {
        while (!input.IsEmpty && Error is null)
        {
            if (_inPayload)
            {
                input = FeedPayload(input);
                continue;
            }

            int needed = HeaderBytesNeeded();
            int take = Math.Min(needed - _headerFilled, input.Length);
            input[..take].CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += take;
            input = input[take..];
            if (_headerFilled == HeaderBytesNeeded())
            {
                StartFrame();
            }
        }
    }

    private int HeaderBytesNeeded()
    {
        if (_headerFilled < 2)
        {
            return 2;
        }

        int length = (_header[1] & FrameLimits.LengthMask) switch
        {
            FrameLimits.Length16Marker => 4,
            FrameLimits.Length64Marker => 10,
            _ => 2,
        };
        return (_header[1] & FrameLimits.MaskBit) != 0 ? length + FrameLimits.MaskKeyLength : length;
    }

    private void StartFrame()
    {
        byte first = _header[0];
        byte second = _header[1];
        bool masked = (second & FrameLimits.MaskBit) != 0;
        int lengthCode = second & FrameLimits.LengthMask;
        ulong length;
        int position;
        bool minimal = true;
        switch (lengthCode)
        {
            case FrameLimits.Length16Marker:
                length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
                minimal = length > FrameLimits.Max7BitLength;
                position = 4;
                break;
            case FrameLimits.Length64Marker:
                length = BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2));
                minimal = length > ushort.MaxValue;
                position = 10;
                break;
            default:
                length = (ulong)lengthCode;
                position = 2;
                break;
        }

        uint key = masked ? BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(position)) : 0;
        _current = new FrameHeader(
            Fin: (first & FrameLimits.FinBit) != 0,
            Rsv: (byte)((first & FrameLimits.RsvMask) >> 4),
            Opcode: (byte)(first & FrameLimits.OpcodeMask),
            Masked: masked,
            MaskKey: key,
            PayloadLength: length,
            HeaderLength: _headerFilled,
            MinimalLength: minimal);

        var raw = _header.AsSpan(0, _headerFilled);
        _headerFilled = 0;
        if (lengthCode == FrameLimits.Length64Marker && (length & (1UL << 63)) != 0)
        {
            // §5.2: "the most significant bit MUST be 0".
            Error = "64-bit payload length with the most significant bit set (RFC 6455 §5.2)";
            sink.OnFrameStart(_current, raw);
            return;
        }

        sink.OnFrameStart(_current, raw);
        _payloadRemaining = length;
        _payloadOffset = 0;
        _inPayload = true;
        if (length == 0)
        {
            EndFrame();
        }
    }

    private ReadOnlySpan<byte> FeedPayload(ReadOnlySpan<byte> input)
    {
        int take = (int)Math.Min((ulong)input.Length, _payloadRemaining);
        var chunk = input[..take];
        if (_current.Masked)
        {
            Span<byte> scratch = take <= 4096 ? stackalloc byte[take] : new byte[take];
            chunk.CopyTo(scratch);
            Masker.Apply(scratch, _current.MaskKey, _payloadOffset);
            sink.OnPayload(scratch);
        }
        else
        {
            sink.OnPayload(chunk);
        }

        _payloadOffset += take;
        _payloadRemaining -= (ulong)take;
        if (_payloadRemaining == 0)
        {
            EndFrame();
        }

        return input[take..];
    }

    private void EndFrame()
    {
        _inPayload = false;
        sink.OnFrameEnd();
    }
}
