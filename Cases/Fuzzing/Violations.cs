namespace Conformance.Cases.Fuzzing;

/// <summary>The classes of violation the generator plants; the oracle names the first one a script contains.</summary>
public enum ViolationClass
{
    None,
    ReservedBits,
    ReservedOpcode,
    Masking,
    ControlTooLong,
    ControlFragmented,
    StrayContinuation,
    DataInsideMessage,
    InvalidUtf8,
    LengthTopBit,
    CloseCode,
    ClosePayloadLength,
    CloseReasonUtf8,

    // permessage-deflate (generator v2, --deflate); appended so that v1's draws stay the same.
    CompressedControl,
    CompressedContinuation,
    CorruptDeflate,
}

/// <summary>What each class breaks, with the RFC text, and the close codes a conformant peer may fail with.</summary>
public static class Violations
{
    public static string Rule(ViolationClass violation) => violation switch
    {
        ViolationClass.None => "RFC 6455 §5.5.2 (a ping is answered with a pong), §5.6, §7.1.2",
        ViolationClass.ReservedBits => "RFC 6455 §5.2: RSV1-3 MUST be 0 unless an extension is negotiated that defines them",
        ViolationClass.ReservedOpcode => "RFC 6455 §5.2: a reserved opcode MUST fail the connection",
        ViolationClass.Masking => "RFC 6455 §5.1: a server MUST fail on an unmasked client frame; a client MUST fail on a masked server frame",
        ViolationClass.ControlTooLong => "RFC 6455 §5.5: control frames MUST have a payload of 125 octets or less",
        ViolationClass.ControlFragmented => "RFC 6455 §5.5: control frames MUST NOT be fragmented",
        ViolationClass.StrayContinuation => "RFC 6455 §5.4: a continuation frame must continue a fragmented message",
        ViolationClass.DataInsideMessage => "RFC 6455 §5.4: a new data frame cannot start while a fragmented message is open",
        ViolationClass.InvalidUtf8 => "RFC 6455 §8.1: invalid UTF-8 in a text message MUST fail the connection (1007)",
        ViolationClass.LengthTopBit => "RFC 6455 §5.2: the most significant bit of a 64-bit length MUST be 0",
        ViolationClass.CloseCode => "RFC 6455 §7.4.1, §7.4.2: a close code that must not be sent fails the connection",
        ViolationClass.ClosePayloadLength => "RFC 6455 §5.5, §5.5.1: a close payload is empty or a 2-octet code plus a reason, at most 125 octets",
        ViolationClass.CloseReasonUtf8 => "RFC 6455 §5.5.1, §8.1: the close reason MUST be valid UTF-8",
        ViolationClass.CompressedControl => "RFC 7692 §6: RSV1 (\"Per-Message Compressed\") MUST NOT be set on a control frame; the receiver MUST fail the connection",
        ViolationClass.CompressedContinuation => "RFC 7692 §6: RSV1 MUST NOT be set on a non-first fragment of a data message; the receiver MUST fail the connection",
        ViolationClass.CorruptDeflate => "RFC 7692 §7.2.2, RFC 6455 §7.1.7: compressed data that cannot be decompressed fails the connection (RFC 7692 names no code: 1007 or 1002)",
        _ => violation.ToString(),
    };

    /// <summary>§7.4.1: 1002 for protocol errors; 1007 where the payload is invalid, and 1002 also fits there (both are protocol errors).</summary>
    public static IReadOnlyList<int> Codes(ViolationClass violation) => violation switch
    {
        ViolationClass.InvalidUtf8 or ViolationClass.CloseReasonUtf8 => [1007, 1002],
        // §7.4.1: the data is not consistent with the message (1007), or the frame breaks the protocol (1002).
        ViolationClass.CorruptDeflate => [1007, 1002],
        // A length of 2^63 and more is also "too big to process" (§7.4.1 1009).
        ViolationClass.LengthTopBit => [1002, 1009],
        _ => [1002],
    };
}

/// <summary>The kind of a frame, for the coverage matrix.</summary>
public enum FrameKind
{
    Text,
    Binary,
    Continuation,
    Ping,
    Pong,
    Close,
    Reserved,
}

/// <summary>The receiver's state when a frame arrives, for the coverage matrix.</summary>
public enum StreamState
{
    Idle,
    InTextMessage,
    InBinaryMessage,
}

/// <summary>One cell of the coverage matrix: a frame of this kind arrived in this state, with this violation (or none).</summary>
public readonly record struct CoverageCell(FrameKind Kind, StreamState State, ViolationClass Violation)
{
    public override string ToString() => $"{Kind}/{State}/{Violation}";
}
