using Conformance.Cases.Protocol;

namespace Conformance.Harness.Wire;

/// <summary>A decoded frame header (RFC 6455 §5.2) with its raw octets, as received.</summary>
internal readonly record struct FrameHeader(
    bool Fin,
    byte Rsv,
    byte Opcode,
    bool Masked,
    uint MaskKey,
    ulong PayloadLength,
    int HeaderLength,
    bool MinimalLength)
{
    public bool IsControl => Cases.Protocol.Opcode.IsControl(Opcode);

    public string MaskKeyHex => Masked ? MaskKey.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) : "";

    public override string ToString() =>
        $"{Cases.Protocol.Opcode.Name(Opcode)} fin={(Fin ? 1 : 0)} rsv={Rsv} masked={(Masked ? 1 : 0)} len={PayloadLength}";
}
