namespace Conformance.Cases.Scripting;

/// <summary>How the DEFLATE data of a <see cref="SendDeflated"/> message is made (RFC 7692 §7.2.1, §7.2.3).</summary>
public enum DeflateBlocks
{
    /// <summary>The tester's compressor with the agreed window and context, ended by a sync flush without its 00 00 ff ff (§7.2.1).</summary>
    Compressed,

    /// <summary>Non-final stored blocks holding the message octets ("no compression", §7.2.3.3), then the empty block's header the receiver's 00 00 ff ff completes.</summary>
    Stored,

    /// <summary>Stored blocks, the last with BFINAL set (§7.2.3.4); the tester keeps no context across such a message.</summary>
    Final,
}

/// <summary>A deliberate defect in a <see cref="SendDeflated"/> message: the receiver must fail the connection.</summary>
public enum DeflateDamage
{
    None,

    /// <summary>After the message's valid data (completed with 00 00 ff ff), a block of the reserved type 3 (RFC 1951 §3.2.3): invalid DEFLATE data.</summary>
    ReservedBlockType,

    /// <summary>After the message's valid data (completed with 00 00 ff ff), a stored block whose LEN and NLEN disagree (RFC 1951 §3.2.4): invalid DEFLATE data.</summary>
    BadStoredLength,

    /// <summary>RSV1 set on the continuation frames as well as on the first (RFC 7692 §6: only the first frame of a message carries it).</summary>
    Rsv1OnContinuation,
}

/// <summary>
/// Send one compressed data message (RFC 7692 §6, §7.2.1) whose DEFLATE data the harness makes as
/// <see cref="Blocks"/> says, with the agreed window and context: the script names the message and its
/// form, the runner makes the octets (they depend on what the peer agreed). The payload is cut into
/// <see cref="Fragments"/> frames of equal size, RSV1 on the first; <see cref="Between"/> control
/// frames go after the first fragment.
/// </summary>
public sealed record SendDeflated(byte Opcode, Payload Message, DeflateBlocks Blocks = DeflateBlocks.Compressed, int Fragments = 1, DeflateDamage Damage = DeflateDamage.None) : Step
{
    /// <summary>Control frames sent between the first and the second fragment (none when the message has one frame).</summary>
    public IReadOnlyList<Frame> Between { get; init; } = [];

    public override string Describe() =>
        $"send deflated {Protocol.Opcode.Name(Opcode)} len={Message.Length} blocks={Blocks} fragments={Fragments}" +
        (Damage != DeflateDamage.None ? $" damage={Damage}" : "") +
        (Between.Count > 0 ? $" between=[{string.Join("; ", Between.Select(f => f.Describe()))}]" : "") +
        $" payload={Message.Describe()}";
}

/// <summary>DEFLATE data that needs no compressor (RFC 1951 §3.2.4): stored blocks, and the defects of <see cref="DeflateDamage"/>.</summary>
public static class StoredBlocks
{
    private const int MaxBlock = ushort.MaxValue;

    /// <summary>The empty stored block's tail a sync flush ends with; a permessage-deflate sender removes it and the receiver appends it (RFC 7692 §7.2.1).</summary>
    public static ReadOnlySpan<byte> SyncTail => [0x00, 0x00, 0xFF, 0xFF];

    /// <summary>
    /// <paramref name="octets"/> in stored blocks of at most 65 535 octets (at least one block, even for nothing). Not final: then
    /// one octet 00, the header of the empty block the receiver's 00 00 ff ff completes. Final: the last block has BFINAL set and nothing follows.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> octets, bool final)
    {
        int blocks = Math.Max(1, (octets.Length + MaxBlock - 1) / MaxBlock);
        var data = new byte[octets.Length + 5 * blocks + (final ? 0 : 1)];
        int at = 0;
        for (int b = 0; b < blocks; b++)
        {
            var chunk = octets.Slice(b * MaxBlock, Math.Min(MaxBlock, octets.Length - b * MaxBlock));
            data[at] = (byte)(final && b == blocks - 1 ? 1 : 0); // BFINAL, BTYPE 00, padding
            data[at + 1] = (byte)chunk.Length;
            data[at + 2] = (byte)(chunk.Length >> 8);
            data[at + 3] = (byte)~chunk.Length;
            data[at + 4] = (byte)(~chunk.Length >> 8);
            chunk.CopyTo(data.AsSpan(at + 5));
            at += 5 + chunk.Length;
        }

        return data; // the last octet is already 0 when not final
    }

    /// <summary>What follows a message's valid data (which ends with the header of an empty stored block) to make it invalid.</summary>
    public static byte[] Defect(DeflateDamage damage) => damage switch
    {
        // The empty block completed, then a block header BFINAL 0, BTYPE 11 (reserved).
        DeflateDamage.ReservedBlockType => [.. SyncTail, 0x06, 0x00],
        // The empty block completed, then a stored block of LEN 5 whose NLEN is not its complement.
        DeflateDamage.BadStoredLength => [.. SyncTail, 0x00, 0x05, 0x00, 0x05, 0x00, (byte)'H', (byte)'e', (byte)'l', (byte)'l', (byte)'o'],
        _ => [],
    };
}
