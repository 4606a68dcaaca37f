using Conformance.Cases.Protocol;

namespace Conformance.Harness.Wire;

/// <summary>Why the tester fails the connection on a peer's frame, and with which close code.</summary>
internal sealed record Violation(ushort CloseCode, string Reason);

/// <summary>
/// The checks an endpoint applies to every frame it receives (one pure method, no state of its
/// own): the caller passes what it knows of the connection.
/// </summary>
internal static class FrameRules
{
    /// <param name="header">The frame just received.</param>
    /// <param name="peerMustMask">True when the peer is a client (RFC 6455 §5.1: clients mask, servers do not).</param>
    /// <param name="messageInProgress">True when a fragmented data message is open.</param>
    /// <param name="rsv1Negotiated">True when an extension (permessage-deflate) gave RSV1 a meaning.</param>
    public static Violation? Check(in FrameHeader header, bool peerMustMask, bool messageInProgress, bool rsv1Negotiated = false)
    {
        if (header.Masked != peerMustMask)
        {
            return peerMustMask
                ? new(CloseCodes.ProtocolError, "client frame is not masked (RFC 6455 §5.1: the server MUST close the connection)")
                : new(CloseCodes.ProtocolError, "server frame is masked (RFC 6455 §5.1: the client MUST close the connection)");
        }

        int allowedRsv = rsv1Negotiated ? 0x4 : 0;
        if ((header.Rsv & ~allowedRsv) != 0)
        {
            return new(CloseCodes.ProtocolError, $"RSV bits {header.Rsv} set without a negotiated extension (RFC 6455 §5.2)");
        }

        if (Opcode.IsReserved(header.Opcode))
        {
            return new(CloseCodes.ProtocolError, $"reserved opcode {header.Opcode} (RFC 6455 §5.2)");
        }

        if (!header.MinimalLength)
        {
            return new(CloseCodes.ProtocolError, "payload length not in its minimal encoding (RFC 6455 §5.2)");
        }

        if (header.IsControl)
        {
            if (!header.Fin)
            {
                return new(CloseCodes.ProtocolError, "fragmented control frame (RFC 6455 §5.5)");
            }

            if (header.PayloadLength > FrameLimits.MaxControlPayload)
            {
                return new(CloseCodes.ProtocolError, $"control frame payload of {header.PayloadLength} octets, more than 125 (RFC 6455 §5.5)");
            }

            if (header.Rsv != 0)
            {
                return new(CloseCodes.ProtocolError, "RSV1 on a control frame (RFC 7692 §6)");
            }

            return null;
        }

        if (header.Opcode == Opcode.Continuation && (header.Rsv & 0x4) != 0)
        {
            return new(CloseCodes.ProtocolError, "RSV1 on a continuation frame: only the first frame of a compressed message carries it (RFC 7692 §6)");
        }

        if (header.Opcode == Opcode.Continuation && !messageInProgress)
        {
            return new(CloseCodes.ProtocolError, "continuation frame with no message to continue (RFC 6455 §5.4)");
        }

        if (header.Opcode != Opcode.Continuation && messageInProgress)
        {
            return new(CloseCodes.ProtocolError, "new data frame while a fragmented message is unfinished (RFC 6455 §5.4)");
        }

        return null;
    }

    /// <summary>Whether the reason of a close payload (after its 2-octet code) is UTF-8; true when there is none.</summary>
    public static bool CloseReasonIsValid(ReadOnlySpan<byte> payload) => payload.Length <= 2 || Utf8Validator.IsValid(payload[2..]);

    /// <summary>RFC 6455 §5.5.1, §7.4: a close payload is empty or a valid 2-octet code followed by UTF-8.</summary>
    public static Violation? CheckClosePayload(ReadOnlySpan<byte> payload, out int? code, out string? reason)
    {
        code = null;
        reason = null;
        if (payload.Length == 0)
        {
            return null;
        }

        if (payload.Length == 1)
        {
            return new(CloseCodes.ProtocolError, "close frame with a 1-octet payload (RFC 6455 §5.5.1)");
        }

        code = (payload[0] << 8) | payload[1];
        var reasonOctets = payload[2..];
        bool utf8 = Utf8Validator.IsValid(reasonOctets);
        reason = utf8 ? System.Text.Encoding.UTF8.GetString(reasonOctets) : "0x" + Convert.ToHexStringLower(reasonOctets);
        if (!CloseCodes.IsValidOnWire(code.Value))
        {
            return new(CloseCodes.ProtocolError, $"close code {code} may not be sent (RFC 6455 §7.4.1, §7.4.2)");
        }

        return utf8 ? null : new(CloseCodes.InvalidPayload, "close reason is not valid UTF-8 (RFC 6455 §5.5.1, §8.1)");
    }
}
