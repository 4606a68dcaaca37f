using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>The permessage-deflate side of the reference peer (RFC 7692 §6, §7.2.2): compressed messages mean their octets.</summary>
internal sealed partial class OracleWalk
{
    /// <summary>RSV1, the "Per-Message Compressed" bit (RFC 7692 §6).</summary>
    private const byte Rsv1 = 4;

    /// <summary>
    /// A plain frame with RSV1 alone while deflate is agreed: on a control frame or a continuation frame it
    /// breaks RFC 7692 §6; on the first frame of a message it says "compressed", and the oracle cannot read DEFLATE
    /// it did not describe (the generator never writes such a frame; <see cref="SendDeflated"/> does).
    /// </summary>
    private static ViolationClass CompressedFrameViolation(Frame frame) => frame.Opcode switch
    {
        _ when Opcode.IsControl(frame.Opcode) => ViolationClass.CompressedControl,
        Opcode.Continuation => ViolationClass.CompressedContinuation,
        Opcode.Text or Opcode.Binary => ViolationClass.CorruptDeflate,
        _ => ViolationClass.ReservedOpcode,
    };

    /// <summary>A compressed message: its frames' headers, its control frames in between, its data, then its octets as an uncompressed message would be.</summary>
    public void ReceiveDeflated(SendDeflated message, int at)
    {
        var state = _openOpcode switch { null => StreamState.Idle, Opcode.Text => StreamState.InTextMessage, _ => StreamState.InBinaryMessage };
        var first = new Frame(message.Opcode, Payload.Empty, Fin: message.Fragments <= 1, Rsv: Rsv1);
        var firstViolation = !deflate ? ViolationClass.ReservedBits
            : message.Opcode is not (Opcode.Text or Opcode.Binary) ? CompressedFrameViolation(first)
            : _openOpcode is not null ? ViolationClass.DataInsideMessage
            : ViolationClass.None;
        if (firstViolation != ViolationClass.None)
        {
            _coverage.Add(new CoverageCell(KindOf(message.Opcode), state, firstViolation));
            Fail(firstViolation, at);
            return;
        }

        var inMessage = message.Opcode == Opcode.Text ? StreamState.InTextMessage : StreamState.InBinaryMessage;
        bool fragmented = message.Fragments >= 2;
        if (fragmented && message.Damage == DeflateDamage.Rsv1OnContinuation)
        {
            _coverage.Add(new CoverageCell(KindOf(message.Opcode), state, ViolationClass.None));
            _coverage.Add(new CoverageCell(FrameKind.Continuation, inMessage, ViolationClass.CompressedContinuation));
            Fail(ViolationClass.CompressedContinuation, at);
            return;
        }

        if (message.Damage is DeflateDamage.ReservedBlockType or DeflateDamage.BadStoredLength)
        {
            _coverage.Add(new CoverageCell(KindOf(message.Opcode), state, ViolationClass.CorruptDeflate));
            Fail(ViolationClass.CorruptDeflate, at);
            return;
        }

        int before = _events.Count;
        if (fragmented && !Between(message, at))
        {
            return;
        }

        var octets = message.Message.ToArray();
        _largest = Math.Max(_largest, octets.Length);
        bool invalid = message.Opcode == Opcode.Text && !Utf8Validator.IsValid(octets);
        _coverage.Add(new CoverageCell(KindOf(message.Opcode), state, invalid ? ViolationClass.InvalidUtf8 : ViolationClass.None));
        if (fragmented)
        {
            _coverage.Add(new CoverageCell(FrameKind.Continuation, inMessage, invalid ? ViolationClass.InvalidUtf8 : ViolationClass.None));
        }

        if (invalid)
        {
            if (_events.Count > before)
            {
                // Where the invalid octet lands among the compressed fragments is the compressor's business:
                // failing before the pongs of the control frames in between is strict, after them NON-STRICT.
                _strictEventCount = before;
                _violation = ViolationClass.InvalidUtf8;
                _violationAt = at;
            }

            Fail(ViolationClass.InvalidUtf8, at);
            return;
        }

        _events.Add(MessageEvent.Expect(Payload.Of(octets), message.Opcode == Opcode.Binary));
        if (!fragmented)
        {
            Between(message, at);
        }
    }

    /// <summary>The control frames sent after the first fragment, as the peer receives them inside the message. False when one of them fails the connection.</summary>
    private bool Between(SendDeflated message, int at)
    {
        _openOpcode = message.Fragments >= 2 ? message.Opcode : null;
        foreach (var frame in message.Between)
        {
            Receive(frame, at);
            if (Stopped)
            {
                return false;
            }
        }

        _openOpcode = null;
        return true;
    }
}
