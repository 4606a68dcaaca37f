using System.Buffers;
using System.Security.Cryptography;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// The read side of a session: the read loop, the frame checks (RFC 6455 §5.2–§5.5), control frames,
/// and the wire log of received frames. Data frames go to the <see cref="MessageAssembler"/>; what
/// the peer's frames mean for the connection goes to the <see cref="CloseHandshake"/>.
/// </summary>
internal sealed class FrameReceiver : IFrameSink
{
    private const int ReadBufferSize = 64 * 1024;

    private readonly CaseSession _session;
    private readonly object _gate;
    private readonly TcpConnection _connection;
    private readonly WireRecorder _log;
    private readonly CloseHandshake _closing;
    private readonly MessageAssembler _messages;
    private readonly DeflateContext _deflate;
    private readonly FrameSender _sender;
    private readonly bool _testerIsServer;
    private readonly CancellationToken _stop;
    private readonly FrameDecoder _decoder;
    private readonly Dictionary<int, int> _rxFrames = [];
    private long _rxOctets;

    // The frame being received.
    private FrameHeader _frame;
    private readonly byte[] _rawExcerpt = new byte[FrameEncoder.MaxHeaderLength + WireRecorder.ExcerptOctets];
    private int _rawExcerptLength;
    private int _rawHeaderLength;
    private long _frameReceived;
    private bool _discardFrame;
    private readonly byte[] _control = new byte[FrameLimits.MaxControlPayload];
    private int _controlLength;

    public FrameReceiver(CaseSession session, MessageAssembler messages)
    {
        _session = session;
        _gate = session.Gate;
        _connection = session.Connection;
        _log = session.Log;
        _closing = session.Closing;
        _deflate = session.Deflate;
        _sender = session.Sender;
        _testerIsServer = session.TesterIsServer;
        _stop = session.Stopping;
        _messages = messages;
        _decoder = new FrameDecoder(this);
    }

    /// <summary>Frames received per opcode, and octets received (under the session lock).</summary>
    public Dictionary<int, int> RxFrames => _rxFrames;

    /// <summary>The masking key of every masked frame the peer sent, in order (the first <see cref="MaxMaskKeys"/>).</summary>
    public IReadOnlyList<uint> MaskKeys => _maskKeys;

    private const int MaxMaskKeys = 10_000;
    private readonly List<uint> _maskKeys = [];

    public long RxOctets => _rxOctets;

    /// <summary>The assembler found a violation in a message: the rest of the frame is ignored and the tester fails the connection.</summary>
    public void MessageViolated(Violation violation)
    {
        _discardFrame = true;
        _closing.PeerViolated(violation);
    }

    /// <summary>
    /// Reads on a blocking thread (<see cref="BlockingThreads"/>) with blocking reads: the kernel wakes this thread
    /// directly when octets arrive, and a round trip (9.7/9.8) costs no thread-pool dispatch.
    /// </summary>
    public Task Start(ReadOnlyMemory<byte> leftover) => BlockingThreads.Run(() =>
    {
        ReadLoop(leftover);
        return true;
    });

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
                    _closing.TcpEnded(_connection.IsDropped ? null : $"TCP connection failed: {e.GetBaseException().Message}");
                    return;
                }

                if (read == 0)
                {
                    _closing.TcpEnded(null);
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
                _closing.PeerViolated(new Violation(CloseCodes.ProtocolError, error));
                // Frame boundaries are lost: no close frame can be found after this, so end here.
                _closing.Drop("cannot read further frames after a framing error");
            }
        }

        _session.Script.SignalMessageArrived();
    }

    void IFrameSink.OnFrameStart(in FrameHeader header, ReadOnlySpan<byte> rawHeader)
    {
        SessionTimer.AssertHeld(_gate);
        _frame = header;
        _frameReceived = 0;
        _controlLength = 0;
        _rawHeaderLength = rawHeader.Length;
        rawHeader.CopyTo(_rawExcerpt);
        _rawExcerptLength = rawHeader.Length;
        _rxFrames[header.Opcode] = _rxFrames.GetValueOrDefault(header.Opcode) + 1;
        if (header.Masked && _maskKeys.Count < MaxMaskKeys)
        {
            _maskKeys.Add(header.MaskKey); // RFC 6455 §5.3: judged by 11.3.x
        }

        // After the tester failed the connection it still reads every frame, as Autobahn's does (spec §0.5):
        // a pong is recorded, a message is checked but not recorded, and a second violation drops TCP.
        // Once the tester has dropped TCP, what was read with the frame that made it drop is not looked at.
        _discardFrame = _closing.State == SessionState.Gone;
        if (_discardFrame || _decoder.Error is not null)
        {
            return;
        }

        if (FrameRules.Check(header, peerMustMask: _testerIsServer, _messages.IsOpen, rsv1Negotiated: _deflate.Agreed) is { } violation)
        {
            _discardFrame = true;
            _closing.PeerViolated(violation);
            return;
        }

        if (header.Opcode is Opcode.Text or Opcode.Binary)
        {
            _messages.Begin(header);
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

        _messages.OnPayload(payload);
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
                if (_closing.State == SessionState.Open)
                {
                    // RFC 6455 §5.5.2: answer with a pong carrying the same application data.
                    _sender.AnswerPing(_control.AsSpan(0, _controlLength).ToArray());
                }

                break;
            case Opcode.Pong:
                _session.RecordEvent(new PongEvent(Digest(_control.AsSpan(0, _controlLength))));
                break;
            case Opcode.Close:
                _closing.OnCloseFrame(_control.AsSpan(0, _controlLength));
                break;
            default:
                if (_frame.Fin && _messages.End() is { } message && !_closing.FailedByMe)
                {
                    // spec §0.5: messages after the tester failed the connection are discarded
                    _session.RecordEvent(message);
                }

                break;
        }
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
    public void LogUnfinishedFrame()
    {
        if (!_decoder.AtFrameBoundary && _decoder.Error is null)
        {
            _log.Note(WireDirection.Rx, $"connection ended inside a {Opcode.Name(_frame.Opcode)} frame after {_frameReceived} of {_frame.PayloadLength} payload octets");
        }
    }
}
