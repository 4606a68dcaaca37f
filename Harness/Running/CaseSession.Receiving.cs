using System.Buffers;
using System.Security.Cryptography;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>Receiving: the read loop, the frame checks and message assembly (RFC 6455 §5.4, §5.5, §8.1).</summary>
internal sealed partial class CaseSession : IFrameSink
{
    private const int ReadBufferSize = 64 * 1024;

    private readonly FrameDecoder _decoder;
    private TaskCompletionSource _messageArrived = new();

    // The frame being received.
    private FrameHeader _frame;
    private readonly byte[] _rawExcerpt = new byte[FrameEncoder.MaxHeaderLength + WireRecorder.ExcerptOctets];
    private int _rawExcerptLength;
    private int _rawHeaderLength;
    private long _frameReceived;
    private bool _discardFrame;
    private readonly byte[] _control = new byte[FrameLimits.MaxControlPayload];
    private int _controlLength;

    // The data message being assembled.
    private bool _messageOpen;
    private bool _messageBinary;
    private long _messageLength;
    private Utf8Validator _utf8;
    private IncrementalHash? _messageHash;
    private readonly byte[] _messageHead = new byte[PayloadDigest.HeadLength];

    /// <summary>Content is compared only where the rule compares events; category 9 checks type and length.</summary>
    private bool HashMessages => _case.Behavior is ExpectEvents;

    /// <summary>
    /// Reads on a thread of its own with blocking reads: the kernel wakes this thread directly when
    /// octets arrive, and a round trip (9.7/9.8) costs no thread-pool dispatch.
    /// </summary>
    private Task StartReader(ReadOnlyMemory<byte> leftover)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                ReadLoop(leftover);
            }
            finally
            {
                done.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "wsconf reader",
        };
        thread.Start();
        return done.Task;
    }

    private void ReadLoop(ReadOnlyMemory<byte> leftover)
    {
        if (!leftover.IsEmpty)
        {
            Receive(leftover.Span);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int read;
                try
                {
                    read = _connection.Stream.Read(buffer);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
                {
                    TcpGone(_connection.IsDropped ? null : $"TCP connection failed: {e.GetBaseException().Message}");
                    return;
                }

                if (read == 0)
                {
                    TcpGone(null);
                    return;
                }

                Receive(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Receive(ReadOnlySpan<byte> octets)
    {
        lock (_gate)
        {
            _rxOctets += octets.Length;
            if (_decoder.Error is not null)
            {
                return; // the stream is out of step; nothing more can be read from it
            }

            _decoder.Feed(octets);
            if (_decoder.Error is { } error)
            {
                PeerViolated(new Violation(CloseCodes.ProtocolError, error));
                // Frame boundaries are lost: no close frame can be found after this, so end here.
                Drop("cannot read further frames after a framing error");
            }
        }

        SignalMessageArrived();
    }

    void IFrameSink.OnFrameStart(in FrameHeader header, ReadOnlySpan<byte> rawHeader)
    {
        _frame = header;
        _frameReceived = 0;
        _controlLength = 0;
        _rawHeaderLength = rawHeader.Length;
        rawHeader.CopyTo(_rawExcerpt);
        _rawExcerptLength = rawHeader.Length;
        _rxFrames[header.Opcode] = _rxFrames.GetValueOrDefault(header.Opcode) + 1;

        // After the tester failed the connection it only looks for the peer's close frame.
        _discardFrame = _failedByMe && header.Opcode != Opcode.Close;
        if (_discardFrame || _decoder.Error is not null)
        {
            return;
        }

        if (FrameRules.Check(header, peerMustMask: _testerIsServer, _messageOpen, rsv1Negotiated: DeflateAgreed) is { } violation)
        {
            _discardFrame = true;
            PeerViolated(violation);
            return;
        }

        if (header.Opcode is Opcode.Text or Opcode.Binary)
        {
            _messageOpen = true;
            _messageBinary = header.Opcode == Opcode.Binary;
            _messageLength = 0;
            _utf8 = new Utf8Validator();
            _messageHash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            BeginMessageCompression(header);
        }
    }

    void IFrameSink.OnPayload(ReadOnlySpan<byte> payload)
    {
        CaptureExcerpt(payload);
        _frameReceived += payload.Length;
        if (_discardFrame)
        {
            return;
        }

        if (_frame.IsControl)
        {
            payload.CopyTo(_control.AsSpan(_controlLength));
            _controlLength += payload.Length;
            return;
        }

        if (_messageCompressed)
        {
            InflatePayload(payload);
            return;
        }

        CountUncompressed(payload.Length);
        AcceptMessageOctets(payload);
    }

    /// <summary>Octets of the data message being received (decompressed when it is compressed).</summary>
    private void AcceptMessageOctets(ReadOnlySpan<byte> payload)
    {
        if (_discardFrame)
        {
            return;
        }

        if (_messageLength < _messageHead.Length)
        {
            int take = (int)Math.Min(payload.Length, _messageHead.Length - _messageLength);
            payload[..take].CopyTo(_messageHead.AsSpan((int)_messageLength));
        }

        _messageLength += payload.Length;
        if (HashMessages)
        {
            _messageHash!.AppendData(payload);
        }
        else if (_case.Behavior is ExpectDataSetEchoes)
        {
            CompareEchoOctets(payload);
        }

        if (!_messageBinary && !_utf8.Feed(payload))
        {
            // RFC 6455 §8.1: invalid UTF-8 fails the connection, and the endpoint may do so at once.
            _discardFrame = true;
            _messageOpen = false;
            PeerViolated(new Violation(CloseCodes.InvalidPayload, "text message is not valid UTF-8 (RFC 6455 §8.1)"));
        }
    }

    void IFrameSink.OnFrameEnd()
    {
        LogReceivedFrame();
        if (_discardFrame)
        {
            return;
        }

        switch (_frame.Opcode)
        {
            case Opcode.Ping:
                if (_state == SessionState.Open)
                {
                    // RFC 6455 §5.5.2: answer with a pong carrying the same application data.
                    AnswerPing(_control.AsSpan(0, _controlLength).ToArray());
                }

                break;
            case Opcode.Pong:
                RecordEvent(new PongEvent(Digest(_control.AsSpan(0, _controlLength))));
                break;
            case Opcode.Close:
                OnCloseFrame(_control.AsSpan(0, _controlLength));
                break;
            default:
                if (_frame.Fin)
                {
                    EndMessage();
                }

                break;
        }
    }

    private void EndMessage()
    {
        if (_messageCompressed && !EndCompressedMessage())
        {
            return;
        }

        _messageOpen = false;
        if (!_messageBinary && !_utf8.IsAtBoundary)
        {
            PeerViolated(new Violation(CloseCodes.InvalidPayload, "text message ends inside a UTF-8 sequence (RFC 6455 §8.1)"));
            return;
        }

        string hash = HashMessages ? Convert.ToHexStringLower(_messageHash!.GetHashAndReset()) : "";
        var digest = new PayloadDigest(_messageLength, hash,
            _messageHead.AsSpan(0, (int)Math.Min(_messageLength, _messageHead.Length)).ToArray());
        if (_failedByMe)
        {
            return; // spec §0.5: messages after the tester failed the connection are discarded
        }

        RecordEvent(new MessageEvent(digest, _messageBinary));
    }

    private static PayloadDigest Digest(ReadOnlySpan<byte> octets) =>
        new(octets.Length, Convert.ToHexStringLower(SHA256.HashData(octets)), octets.ToArray());

    private void CaptureExcerpt(ReadOnlySpan<byte> payload)
    {
        int room = _rawHeaderLength + WireRecorder.ExcerptOctets - _rawExcerptLength;
        if (room > 0)
        {
            int take = Math.Min(room, payload.Length);
            payload[..take].CopyTo(_rawExcerpt.AsSpan(_rawExcerptLength));
            _rawExcerptLength += take;
        }
    }

    private void LogReceivedFrame()
    {
        if (!_log.Keeps(_frame.Opcode))
        {
            _log.Omit();
            return;
        }

        var payloadExcerpt = _rawExcerpt.AsSpan(_rawHeaderLength, _rawExcerptLength - _rawHeaderLength);
        var raw = _rawExcerpt.AsSpan(0, _rawExcerptLength);
        // The raw octets are what crossed the wire; the payload excerpt is shown unmasked.
        byte[] plain = payloadExcerpt.ToArray();
        if (_frame.Masked)
        {
            raw = Remask(raw, plain);
        }

        _log.Frame(WireDirection.Rx, _frame.Opcode, _frame.Fin, _frame.Rsv, _frame.Masked ? _frame.MaskKeyHex : null,
            (long)_frame.PayloadLength, plain, raw);
    }

    private Span<byte> Remask(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> plain)
    {
        var copy = raw.ToArray();
        var masked = copy.AsSpan(_rawHeaderLength);
        plain.CopyTo(masked);
        Masker.Apply(masked, _frame.MaskKey, 0);
        return copy;
    }

    /// <summary>Logs a frame whose end never arrived (the connection ended inside it).</summary>
    private void LogUnfinishedFrame()
    {
        if (!_decoder.AtFrameBoundary && _decoder.Error is null)
        {
            _log.Note(WireDirection.Rx, $"connection ended inside a {Opcode.Name(_frame.Opcode)} frame after {_frameReceived} of {_frame.PayloadLength} payload octets");
        }
    }
}
