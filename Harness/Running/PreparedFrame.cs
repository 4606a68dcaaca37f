using System.Buffers.Binary;
using Conformance.Cases.Scripting;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Running;

/// <summary>
/// A frame with its header encoded and its masking key chosen, whose octets can be copied out
/// piece by piece: a 16 MiB payload is masked chunk by chunk, never held whole.
/// </summary>
internal sealed class PreparedFrame
{
    private readonly byte[] _header;

    private PreparedFrame(Frame frame, byte[] header, uint? key)
    {
        Frame = frame;
        _header = header;
        MaskKey = key;
    }

    public Frame Frame { get; }

    public uint? MaskKey { get; }

    public int HeaderLength => _header.Length;

    public long TotalLength => _header.Length + Frame.Payload.Length;

    /// <summary>RFC 6455 §5.1/§5.3: a client masks every frame with a fresh key, a server never masks; a case may ask for the opposite.</summary>
    public static PreparedFrame For(Frame frame, bool testerIsServer, MaskKeySource keys)
    {
        bool masked = testerIsServer ? frame.Masking == Masking.AgainstRole : frame.Masking == Masking.ByRole;
        uint? key = masked ? frame.MaskKey is { Length: 4 } fixedKey ? BinaryPrimitives.ReadUInt32BigEndian(fixedKey) : keys.Next() : null;
        Span<byte> header = stackalloc byte[FrameEncoder.MaxHeaderLength];
        int length = FrameEncoder.WriteHeader(header, frame.Opcode, frame.Fin, frame.Rsv, frame.Payload.Length, frame.LengthEncoding, key);
        return new PreparedFrame(frame, header[..length].ToArray(), key);
    }

    /// <summary>Copies the frame's wire octets starting at <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    public void CopyTo(long offset, Span<byte> destination)
    {
        if (offset < _header.Length)
        {
            int take = (int)Math.Min(_header.Length - offset, destination.Length);
            _header.AsSpan((int)offset, take).CopyTo(destination);
            destination = destination[take..];
            offset += take;
        }

        if (destination.IsEmpty)
        {
            return;
        }

        long payloadOffset = offset - _header.Length;
        Frame.Payload.CopyTo(payloadOffset, destination);
        if (MaskKey is { } key)
        {
            Masker.Apply(destination, key, payloadOffset);
        }
    }
}
