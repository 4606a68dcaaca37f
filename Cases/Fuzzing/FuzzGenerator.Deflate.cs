using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>A generated script: the tester's actions and, for generator version 2, the permessage-deflate offer it opens with.</summary>
public sealed record FuzzScript(IReadOnlyList<Step> Actions, DeflateSetup? Deflate);

/// <summary>Generator version 2 (<c>--deflate</c>): version 1's units mixed with compressed messages, under an offer drawn per case.</summary>
public static partial class FuzzGenerator
{
    private const int DeflateUnitPercent = 45;

    private static FuzzScript DeflateScript(ulong seed, long index)
    {
        var random = FuzzRandom.For(DeflateVersion, seed, index);
        var maker = new FrameMaker(random);
        var setup = DeflateOffer.Setup(random);
        var actions = new List<Step>();
        int units = random.Percent(10) ? random.Between(8, 30) : random.Between(1, 6);
        for (int i = 0; i < units; i++)
        {
            actions.AddRange(random.Percent(DeflateUnitPercent) ? DeflateUnit(random, maker) : Unit(random, maker));
        }

        if (random.Percent(ValidPercent))
        {
            if (random.Percent(80))
            {
                actions.Add(ValidClose(random));
            }

            return new FuzzScript(actions, setup);
        }

        return new FuzzScript(Violation.Plant(random, maker, actions, deflate: true), setup);
    }

    /// <summary>A compressed message (any form, fragmented, control frames between), an empty one, or a run that relies on context takeover.</summary>
    private static IEnumerable<Step> DeflateUnit(FuzzRandom random, FrameMaker maker)
    {
        int roll = random.Below(100);
        if (roll < 60)
        {
            bool text = random.Percent(60);
            return [Deflated(random, maker, text ? Opcode.Text : Opcode.Binary, Content(random, text, random.Size(70_000)))];
        }

        if (roll < 75)
        {
            return [Deflated(random, maker, random.Percent(60) ? Opcode.Text : Opcode.Binary, [])];
        }

        // The same text again and again: with context takeover the compressor refers back to the earlier messages (RFC 7692 §7.1.1).
        var repeated = Content(random, text: true, random.Between(20, 3000));
        int times = random.Between(2, 4);
        return Enumerable.Range(0, times).Select(_ => (Step)new SendDeflated(Opcode.Text, Payload.Of(repeated), DeflateBlocks.Compressed, random.Percent(70) ? 1 : random.Between(2, 4)));
    }

    internal static SendDeflated Deflated(FuzzRandom random, FrameMaker maker, byte opcode, byte[] message)
    {
        var blocks = random.Below(100) switch
        {
            < 75 => DeflateBlocks.Compressed,
            < 90 => DeflateBlocks.Stored,
            _ => DeflateBlocks.Final,
        };
        int fragments = random.Percent(60) ? 1 : random.Between(2, 5);
        var between = fragments >= 2 && random.Percent(35)
            ? Enumerable.Range(0, random.Between(1, 2)).Select(_ => maker.Keyed(maker.ControlFrame())).ToArray()
            : [];
        return new SendDeflated(opcode, Payload.Of(message), blocks, fragments) { Between = between };
    }

    /// <summary>Message octets: random, or (half the time) a short pattern repeated, which compresses to back-references.</summary>
    internal static byte[] Content(FuzzRandom random, bool text, int length)
    {
        if (length == 0 || random.Percent(50))
        {
            return text ? Utf8Text.Valid(random, length) : random.Octets(length);
        }

        var pattern = Utf8Text.Valid(random, random.Between(1, 12));
        var octets = new byte[length];
        for (int at = 0; at < length; at += pattern.Length)
        {
            pattern.AsSpan(0, Math.Min(pattern.Length, length - at)).CopyTo(octets.AsSpan(at));
        }

        // The last copy of the pattern may end inside a code point: its octets become ASCII from the end until the text is whole.
        for (int at = length - 1; text && at >= 0 && octets[at] >= 0x80 && !Utf8Validator.IsValid(octets); at--)
        {
            octets[at] = (byte)'.';
        }

        return octets;
    }
}

/// <summary>The permessage-deflate offer of a version 2 case, drawn from the seed: context takeover on or off, window bits both ways.</summary>
internal static class DeflateOffer
{
    public static DeflateSetup Setup(FuzzRandom random)
    {
        var parts = new List<string> { PerMessageDeflate.Name };
        if (random.Percent(30))
        {
            parts.Add(PerMessageDeflate.ServerNoContextTakeover);
        }

        if (random.Percent(30))
        {
            parts.Add(PerMessageDeflate.ClientNoContextTakeover);
        }

        if (random.Percent(30))
        {
            parts.Add($"{PerMessageDeflate.ServerMaxWindowBits}={random.Between(PerMessageDeflate.MinWindowBits, PerMessageDeflate.MaxWindowBits)}");
        }

        int client = random.Below(100);
        if (client < 30)
        {
            parts.Add(PerMessageDeflate.ClientMaxWindowBits);
        }
        else if (client < 60)
        {
            parts.Add($"{PerMessageDeflate.ClientMaxWindowBits}={random.Between(PerMessageDeflate.MinWindowBits, PerMessageDeflate.MaxWindowBits)}");
        }

        string offer = string.Join("; ", parts);
        return SetupFor(parts.Count > 1 && random.Percent(15) ? [offer, PerMessageDeflate.Name] : [offer]);
    }

    /// <summary>What a fuzz case does with its offers: no agreement is UNIMPLEMENTED, the peer's compressed data is inspected, the tester keeps its hints.</summary>
    public static DeflateSetup SetupFor(IReadOnlyList<string> offers) =>
        new()
        {
            Offers = offers,
            Accept = AcceptRule.Any,
            WithoutAgreement = WithoutDeflate.Unimplemented,
            InspectPeer = true,
            KeepsOfferHints = true,
        };
}
