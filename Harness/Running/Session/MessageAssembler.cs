using System.Security.Cryptography;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Wire;
using Conformance.Harness.Wire.Deflate;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// Assembles the peer's data messages (RFC 6455 §5.4): UTF-8 validation of text as it arrives
/// (§8.1), a hash and a head of the content, and decompression of compressed messages as their
/// frames arrive (RFC 7692 §7.2.2), so the octets go through the same checks either way. A violation
/// goes to the callback and the rest of the message is ignored. Used under the session lock.
/// </summary>
internal sealed class MessageAssembler : IInflateSink
{
    private readonly BehaviorMonitor _monitor;
    private readonly DeflateContext _deflate;
    private readonly bool _inspectPeer;
    private readonly WireRecorder _log;
    private readonly Action<Violation> _violated;

    private bool _binary;
    private bool _discarding;
    private long _length;
    private Utf8Validator _utf8;
    private IncrementalHash? _hash;
    private readonly byte[] _head = new byte[PayloadDigest.HeadLength];

    // The compressed message being received.
    private bool _compressed;
    private byte[]? _inspected;
    private int _inspectedLength;
    private long _peerHistory;
    private int _compressedMessagesIn;

    public MessageAssembler(BehaviorMonitor monitor, DeflateContext deflate, bool inspectPeer, WireRecorder log, Action<Violation> violated)
    {
        _monitor = monitor;
        _deflate = deflate;
        _inspectPeer = inspectPeer;
        _log = log;
        _violated = violated;
    }

    /// <summary>A data message has started and not yet ended (continuation frames are expected).</summary>
    public bool IsOpen { get; private set; }

    /// <summary>A text or binary frame starts a message; it is compressed when RSV1 is set and the extension was agreed (RFC 7692 §6).</summary>
    public void Begin(in FrameHeader header)
    {
        IsOpen = true;
        _discarding = false;
        _binary = header.Opcode == Opcode.Binary;
        _length = 0;
        _utf8 = new Utf8Validator();
        _hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _compressed = _deflate.Agreed && (header.Rsv & 0x4) != 0;
        if (_compressed && _inspectPeer)
        {
            _inspected ??= new byte[16 * 1024];
            _inspectedLength = 0;
        }
    }

    /// <summary>Payload octets of a data frame of the message (unmasked, still compressed if the message is).</summary>
    public void OnPayload(ReadOnlySpan<byte> payload)
    {
        if (_compressed)
        {
            Inflate(payload);
            return;
        }

        if (_deflate.Agreed)
        {
            _deflate.AppIn += payload.Length;
            _deflate.WsIn += payload.Length;
        }

        Accept(payload);
    }

    void IInflateSink.OnInflated(ReadOnlySpan<byte> octets)
    {
        _deflate.AppIn += octets.Length;
        Accept(octets);
    }

    /// <summary>The final frame ended: the message, or null when it broke a rule (already reported).</summary>
    public MessageEvent? End()
    {
        if (_compressed && !EndCompressed())
        {
            return null;
        }

        IsOpen = false;
        if (!_binary && !_utf8.IsAtBoundary)
        {
            Violated(new Violation(CloseCodes.InvalidPayload, "text message ends inside a UTF-8 sequence (RFC 6455 §8.1)"));
            return null;
        }

        string hash = _monitor.HashesContent ? Convert.ToHexStringLower(_hash!.GetHashAndReset()) : "";
        var digest = new PayloadDigest(_length, hash, _head.AsSpan(0, (int)Math.Min(_length, _head.Length)).ToArray());
        return new MessageEvent(digest, _binary);
    }

    /// <summary>Octets of the message (decompressed when it is compressed).</summary>
    private void Accept(ReadOnlySpan<byte> payload)
    {
        if (_discarding)
        {
            return;
        }

        if (_length < _head.Length)
        {
            int take = (int)Math.Min(payload.Length, _head.Length - _length);
            payload[..take].CopyTo(_head.AsSpan((int)_length));
        }

        _length += payload.Length;
        if (_monitor.HashesContent)
        {
            _hash!.AppendData(payload);
        }
        else
        {
            _monitor.OnMessageOctets(payload);
        }

        if (!_binary && !_utf8.Feed(payload))
        {
            // RFC 6455 §8.1: invalid UTF-8 fails the connection, and the endpoint may do so at once.
            IsOpen = false;
            Violated(new Violation(CloseCodes.InvalidPayload, "text message is not valid UTF-8 (RFC 6455 §8.1)"));
        }
    }

    private void Violated(Violation violation)
    {
        _discarding = true;
        _violated(violation);
    }

    /// <summary>Compressed payload octets: inflated at once; the output goes on as message octets.</summary>
    private void Inflate(ReadOnlySpan<byte> payload)
    {
        _deflate.WsIn += payload.Length;
        if (_inspected is not null && _inspectPeer)
        {
            if (_inspectedLength + payload.Length > _inspected.Length)
            {
                Array.Resize(ref _inspected, Math.Max(2 * _inspected.Length, _inspectedLength + payload.Length));
            }

            payload.CopyTo(_inspected.AsSpan(_inspectedLength));
            _inspectedLength += payload.Length;
        }

        if (_deflate.Inflater!.Feed(payload, this) is { } error)
        {
            InvalidCompressedData(error);
        }
    }

    /// <summary>The end of a compressed message (RFC 7692 §7.2.2): the appended 00 00 ff ff, then the inspector. False when the data was invalid.</summary>
    private bool EndCompressed()
    {
        _compressedMessagesIn++;
        var peerSends = _deflate.PeerSends!;
        if (_deflate.Inflater!.EndMessage(this, resetContext: peerSends.NoContextTakeover) is { } error)
        {
            InvalidCompressedData(error);
            return false;
        }

        if (_discarding)
        {
            return false;
        }

        if (_inspected is not null && _inspectPeer)
        {
            long history = peerSends.NoContextTakeover ? 0 : _peerHistory;
            var found = DeflateInspector.Inspect(_inspected.AsSpan(0, _inspectedLength), peerSends.WindowBits, history, peerSends.NoContextTakeover);
            if (found.Problem is { } problem && _deflate.PeerViolation is null)
            {
                _deflate.PeerViolation = $"compressed message {_compressedMessagesIn} from the peer: {problem}";
                _log.Note(WireDirection.Local, _deflate.PeerViolation);
            }

            _peerHistory += found.Produced;
        }

        return true;
    }

    private void InvalidCompressedData(string error)
    {
        // zlib says only "invalid distance too far back"; the inspector says which rule the peer broke.
        if (_inspected is not null && _inspectPeer && _deflate.PeerViolation is null)
        {
            var peerSends = _deflate.PeerSends!;
            long history = peerSends.NoContextTakeover ? 0 : _peerHistory;
            if (DeflateInspector.Inspect(_inspected.AsSpan(0, _inspectedLength), peerSends.WindowBits, history, peerSends.NoContextTakeover).Problem is { } problem
                && !problem.StartsWith("the DEFLATE data ends", StringComparison.Ordinal))
            {
                _deflate.PeerViolation = $"compressed message {_compressedMessagesIn + 1} from the peer: {problem}";
                _log.Note(WireDirection.Local, _deflate.PeerViolation);
            }
        }

        IsOpen = false;
        Violated(new Violation(CloseCodes.InvalidPayload, $"the peer's compressed message cannot be decompressed: {error} (RFC 7692 §7.2.2)"));
    }
}
