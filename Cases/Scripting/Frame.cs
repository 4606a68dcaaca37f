using Conformance.Cases.Protocol;

namespace Conformance.Cases.Scripting;

/// <summary>How the payload length is written (RFC 6455 §5.2 requires the minimal form).</summary>
public enum LengthEncoding
{
    Minimal,
    /// <summary>16-bit form even for lengths ≤ 125 (non-minimal).</summary>
    Forced16,
    /// <summary>64-bit form even for lengths ≤ 65 535 (non-minimal).</summary>
    Forced64,
    /// <summary>64-bit form with the most significant bit set (§5.2: it MUST be 0).</summary>
    Forced64TopBit,
}

/// <summary>Whether a frame is masked. <see cref="ByRole"/> follows RFC 6455 §5.1 for the role that plays the script.</summary>
public enum Masking
{
    ByRole,
    /// <summary>The opposite of what §5.1 requires of the role: unmasked from a client, masked from a server.</summary>
    AgainstRole,
}

/// <summary>One frame as a case wants it on the wire: any opcode, FIN, RSV bits, length form and masking.</summary>
public sealed record Frame(byte Opcode, Payload Payload, bool Fin = true, byte Rsv = 0)
{
    public LengthEncoding LengthEncoding { get; init; } = LengthEncoding.Minimal;

    public Masking Masking { get; init; } = Masking.ByRole;

    /// <summary>A fixed masking key (4 octets) instead of a fresh random one; only used when the frame is masked.</summary>
    public byte[]? MaskKey { get; init; }

    public string Describe() =>
        $"{Protocol.Opcode.Name(Opcode)} fin={(Fin ? 1 : 0)} rsv={Rsv} len={Payload.Length}" +
        (LengthEncoding != LengthEncoding.Minimal ? $" length-encoding={LengthEncoding}" : "") +
        (Masking != Masking.ByRole ? " masking=against-role" : "") +
        (MaskKey is { } key ? $" key={Convert.ToHexStringLower(key)}" : "") +
        $" payload={Payload.Describe()}";

    public static Frame Text(string text, bool fin = true) => new(Protocol.Opcode.Text, Payload.Text(text), fin);

    public static Frame Binary(Payload payload, bool fin = true) => new(Protocol.Opcode.Binary, payload, fin);

    public static Frame Continuation(string text, bool fin = true) => new(Protocol.Opcode.Continuation, Payload.Text(text), fin);

    public static Frame Ping(Payload? payload = null) => new(Protocol.Opcode.Ping, payload ?? Payload.Empty);

    public static Frame Pong(Payload? payload = null) => new(Protocol.Opcode.Pong, payload ?? Payload.Empty);
}
