using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>The receiving side of a conformant peer, one frame at a time (RFC 6455 §5, §7, §8.1).</summary>
internal sealed class OracleWalk
{
    private readonly List<Event> _events = [];
    private readonly List<CoverageCell> _coverage = [];
    private readonly List<byte> _message = [];
    private byte? _openOpcode;
    private Utf8Validator _utf8;
    private long _largest;

    // Invalid fragmented text: the strict outcome ends at the invalid octet, a NON-STRICT one at the message's end.
    private int _strictEventCount = -1;
    private readonly List<IReadOnlyList<Event>> _nonStrict = [];
    private bool _unfinishedText;

    private ViolationClass _violation;
    private int _violationAt = -1;
    private int _closeAt = -1;
    private ExpectedClose? _close;
    private readonly List<IReadOnlyList<Event>> _refusalPoints = [];

    public bool Stopped { get; private set; }

    public void Receive(Frame frame, int at)
    {
        var state = _openOpcode switch { null => StreamState.Idle, Opcode.Text => StreamState.InTextMessage, _ => StreamState.InBinaryMessage };
        var kind = KindOf(frame.Opcode);
        var violation = HeaderViolation(frame);
        if (violation == ViolationClass.None && frame.LengthEncoding is LengthEncoding.Forced16 or LengthEncoding.Forced64 && _strictEventCount < 0)
        {
            // §5.2 binds the sender ("the minimal number of bytes MUST be used"); a receiver may take the frame or refuse it.
            _refusalPoints.Add(_events.ToArray());
        }

        if (violation != ViolationClass.None)
        {
            _coverage.Add(new CoverageCell(kind, state, violation));
            Fail(violation, at);
            return;
        }

        if (Opcode.IsControl(frame.Opcode))
        {
            _coverage.Add(new CoverageCell(kind, state, ViolationClass.None));
            if (frame.Opcode == Opcode.Ping)
            {
                _events.Add(PongEvent.Expect(frame.Payload));
            }

            return;
        }

        if (frame.Opcode != Opcode.Continuation)
        {
            _openOpcode = frame.Opcode;
            _message.Clear();
            _utf8 = new Utf8Validator();
        }

        var octets = frame.Payload.ToArray();
        _message.AddRange(octets);
        _largest = Math.Max(_largest, _message.Count);
        bool textFailed = _openOpcode == Opcode.Text && _strictEventCount < 0 && !_utf8.Feed(octets);
        bool endsCut = frame.Fin && _openOpcode == Opcode.Text && !_utf8.IsFailed && !_utf8.IsAtBoundary;
        _coverage.Add(new CoverageCell(kind, state, textFailed || endsCut ? ViolationClass.InvalidUtf8 : ViolationClass.None));
        if (textFailed && !frame.Fin)
        {
            // Fail-fast is strict; the peer may also fail at the end of the message (NON-STRICT).
            _strictEventCount = _events.Count;
            _violation = ViolationClass.InvalidUtf8;
            _violationAt = at;
            return;
        }

        if (textFailed || endsCut || (frame.Fin && _strictEventCount >= 0))
        {
            Fail(ViolationClass.InvalidUtf8, at);
            return;
        }

        if (frame.Fin)
        {
            _events.Add(MessageEvent.Expect(Payload.Of([.. _message]), _openOpcode == Opcode.Binary));
            _openOpcode = null;
            _message.Clear();
        }
    }

    public void Close(byte[] payload, int at)
    {
        var violation = CloseViolation(payload, out var codes);
        _coverage.Add(new CoverageCell(FrameKind.Close, _openOpcode switch { null => StreamState.Idle, Opcode.Text => StreamState.InTextMessage, _ => StreamState.InBinaryMessage }, violation));
        if (_strictEventCount >= 0)
        {
            // The invalid text message never ended: a NON-STRICT peer, which checks text at a message's end, answers this close instead.
            _unfinishedText = true;
            Fail(ViolationClass.InvalidUtf8, _violationAt);
            return;
        }

        _closeAt = at;
        if (violation != ViolationClass.None)
        {
            _violation = violation;
            _violationAt = at;
        }

        _close = new ExpectedClose(ClosedByTester: true, codes, RequireClean: violation == ViolationClass.None);
        Stopped = true;
    }

    private void Fail(ViolationClass violation, int at)
    {
        if (_strictEventCount >= 0)
        {
            // The end of the invalid text message (or another violation inside it) ends the NON-STRICT outcomes.
            for (int n = _strictEventCount + 1; n <= _events.Count; n++)
            {
                _nonStrict.Add(_events.Take(n).ToArray());
            }

            _events.RemoveRange(_strictEventCount, _events.Count - _strictEventCount);
            var codes = Violations.Codes(ViolationClass.InvalidUtf8).Union(Violations.Codes(violation)).ToArray();
            _close = new ExpectedClose(ClosedByTester: false, codes, RequireClean: false);
        }
        else
        {
            _violation = violation;
            _violationAt = at;
            _close = new ExpectedClose(ClosedByTester: false, Violations.Codes(violation), RequireClean: false);
        }

        Stopped = true;
    }

    public Prediction Result()
    {
        if (!Stopped && _strictEventCount >= 0)
        {
            _unfinishedText = true;
            Fail(ViolationClass.InvalidUtf8, _violationAt);
        }

        return new Prediction
        {
            Events = _events.ToArray(),
            NonStrict = _nonStrict.ToArray(),
            Close = _close ?? ExpectedClose.TesterCloses,
            Violation = _violation,
            ViolationAt = _violationAt,
            CloseAt = _closeAt,
            EchoesBeforeClose = _events.Count(e => e is MessageEvent),
            InvalidTextUnfinished = _unfinishedText,
            Refusal = _refusalPoints.Count == 0 ? null : new ToleratedRefusal(_refusalPoints.ToArray(), [CloseCodes.ProtocolError], "a length not encoded in the minimal number of octets (RFC 6455 §5.2 binds the sender; a receiver may take or refuse it)"),
            LargestMessage = _largest,
            Coverage = _coverage.Distinct().ToArray(),
        };
    }

    private ViolationClass HeaderViolation(Frame frame)
    {
        bool control = Opcode.IsControl(frame.Opcode);
        return frame switch
        {
            { Masking: Masking.AgainstRole } => ViolationClass.Masking,
            { Rsv: not 0 } => ViolationClass.ReservedBits,
            _ when Opcode.IsReserved(frame.Opcode) => ViolationClass.ReservedOpcode,
            { LengthEncoding: LengthEncoding.Forced64TopBit } => ViolationClass.LengthTopBit,
            { Fin: false } when control => ViolationClass.ControlFragmented,
            _ when control && frame.Payload.Length > FrameLimits.MaxControlPayload => ViolationClass.ControlTooLong,
            { Opcode: Opcode.Continuation } when _openOpcode is null => ViolationClass.StrayContinuation,
            { Opcode: Opcode.Text or Opcode.Binary } when _openOpcode is not null => ViolationClass.DataInsideMessage,
            _ => ViolationClass.None,
        };
    }

    /// <summary>RFC 6455 §5.5.1, §7.4: what the peer must answer a close with.</summary>
    private static ViolationClass CloseViolation(byte[] payload, out IReadOnlyList<int> codes)
    {
        codes = [CloseCodes.Normal];
        if (payload.Length == 0)
        {
            return ViolationClass.None;
        }

        if (payload.Length == 1 || payload.Length > FrameLimits.MaxControlPayload)
        {
            codes = [CloseCodes.ProtocolError];
            return ViolationClass.ClosePayloadLength;
        }

        int code = (payload[0] << 8) | payload[1];
        if (!Utf8Validator.IsValid(payload.AsSpan(2)))
        {
            codes = Violations.Codes(ViolationClass.CloseReasonUtf8);
            return ViolationClass.CloseReasonUtf8;
        }

        if (code is >= CloseCodes.ServiceRestart and <= CloseCodes.BadGateway)
        {
            // Registered with IANA after RFC 6455; a peer built on the RFC's list refuses them (Autobahn 7.9.x does): either answer is right.
            codes = [code, CloseCodes.Normal, CloseCodes.ProtocolError];
            return ViolationClass.None;
        }

        if (!CloseCodes.IsValidOnWire(code))
        {
            codes = [CloseCodes.ProtocolError];
            return ViolationClass.CloseCode;
        }

        // §5.5.1: the answer "typically" echoes the code; 1000 is as good an answer.
        codes = code == CloseCodes.Normal ? [CloseCodes.Normal] : [code, CloseCodes.Normal];
        return ViolationClass.None;
    }

    private static FrameKind KindOf(byte opcode) => opcode switch
    {
        Opcode.Text => FrameKind.Text,
        Opcode.Binary => FrameKind.Binary,
        Opcode.Continuation => FrameKind.Continuation,
        Opcode.Ping => FrameKind.Ping,
        Opcode.Pong => FrameKind.Pong,
        Opcode.Close => FrameKind.Close,
        _ => FrameKind.Reserved,
    };
}
