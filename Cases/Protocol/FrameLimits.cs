namespace Conformance.Cases.Protocol;

/// <summary>Numbers fixed by RFC 6455 §5.2 and §5.5.</summary>
public static class FrameLimits
{
    /// <summary>§5.5: all control frames MUST have a payload length of 125 bytes or less.</summary>
    public const int MaxControlPayload = 125;

    /// <summary>§5.2: a 7-bit length carries 0–125; 126 announces a 16-bit length, 127 a 64-bit one.</summary>
    public const int Max7BitLength = 125;
    public const int Length16Marker = 126;
    public const int Length64Marker = 127;

    public const byte FinBit = 0x80;
    public const byte RsvMask = 0x70;
    public const byte OpcodeMask = 0x0F;
    public const byte MaskBit = 0x80;
    public const byte LengthMask = 0x7F;

    /// <summary>§5.3: the masking key is 32 bits.</summary>
    public const int MaskKeyLength = 4;
}
