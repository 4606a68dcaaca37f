namespace Conformance.Cases.Protocol;

/// <summary>Frame opcodes, RFC 6455 §5.2. Reserved values are kept as plain numbers so cases can send them.</summary>
public static class Opcode
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>RFC 6455 §5.5: control frames have the high bit of the opcode set.</summary>
    public static bool IsControl(byte opcode) => (opcode & 0x8) != 0;

    /// <summary>RFC 6455 §5.2: 0x3–0x7 are reserved non-control, 0xB–0xF reserved control opcodes.</summary>
    public static bool IsReserved(byte opcode) => opcode is >= 0x3 and <= 0x7 or >= 0xB and <= 0xF;

    public static bool IsData(byte opcode) => opcode is Text or Binary;

    public static string Name(byte opcode) => opcode switch
    {
        Continuation => "CONT",
        Text => "TEXT",
        Binary => "BINARY",
        Close => "CLOSE",
        Ping => "PING",
        Pong => "PONG",
        _ => $"OP{opcode}",
    };
}
