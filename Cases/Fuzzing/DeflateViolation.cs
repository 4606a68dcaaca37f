using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>The violations only permessage-deflate has (generator version 2): RSV1 where it must not be, corrupt data, invalid text inside compressed data.</summary>
internal static class DeflateViolation
{
    /// <summary>Of the scripts of version 2 that plant a violation, the share that plants one of these.</summary>
    public const int Percent = 40;

    public static List<Step> Plant(FuzzRandom random, FrameMaker maker) => random.Below(4) switch
    {
        0 => [maker.Action(new Frame(random.Percent(60) ? Opcode.Ping : Opcode.Pong, Payload.Of(random.Octets(random.Between(0, 20))), Rsv: 4))],
        1 => Rsv1OnContinuation(random, maker),
        2 => [Corrupt(random, maker)],
        _ => [InvalidText(random, maker)],
    };

    /// <summary>RFC 7692 §6: a compressed message with RSV1 on its continuation frames too, or a plain fragmented one with RSV1 on a continuation.</summary>
    private static List<Step> Rsv1OnContinuation(FuzzRandom random, FrameMaker maker)
    {
        if (random.Percent(50))
        {
            var message = FuzzGenerator.Content(random, text: true, random.Between(0, 200));
            return [new SendDeflated(Opcode.Text, Payload.Of(message), random.Percent(70) ? DeflateBlocks.Compressed : DeflateBlocks.Stored, random.Between(2, 4), DeflateDamage.Rsv1OnContinuation)];
        }

        var first = new Frame(random.Percent(50) ? Opcode.Text : Opcode.Binary, Payload.Of(Utf8Text.Valid(random, random.Between(0, 20))), Fin: false);
        var next = new Frame(Opcode.Continuation, Payload.Of(Utf8Text.Valid(random, random.Between(0, 20))), Fin: random.Percent(70), Rsv: 4);
        return [maker.Action(first), maker.Action(next)];
    }

    /// <summary>RFC 7692 §7.2.2: valid data of the message, then a block that cannot be decompressed.</summary>
    private static SendDeflated Corrupt(FuzzRandom random, FrameMaker maker)
    {
        bool text = random.Percent(60);
        var message = FuzzGenerator.Content(random, text, random.Size(4096));
        var damage = random.Percent(50) ? DeflateDamage.ReservedBlockType : DeflateDamage.BadStoredLength;
        var deflated = FuzzGenerator.Deflated(random, maker, text ? Opcode.Text : Opcode.Binary, message);
        // After a final block the receiver reads no further, so the defect follows stored blocks instead.
        return deflated with { Damage = damage, Between = [], Blocks = deflated.Blocks == DeflateBlocks.Final ? DeflateBlocks.Stored : deflated.Blocks };
    }

    /// <summary>RFC 6455 §8.1 after RFC 7692 §7.2.2: compressed text whose octets are not UTF-8 (an invalid sequence, or a cut last code point).</summary>
    private static SendDeflated InvalidText(FuzzRandom random, FrameMaker maker)
    {
        int length = random.Between(0, 300);
        var payload = random.Percent(25) ? Utf8Text.Truncated(random, length) : Utf8Text.WithInvalid(random, length, random.Between(0, length));
        return FuzzGenerator.Deflated(random, maker, Opcode.Text, payload);
    }
}
