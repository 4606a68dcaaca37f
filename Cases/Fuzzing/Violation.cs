using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>Plants one violation in a valid script: mutates or inserts a frame at a random point, or ends with an illegal close.</summary>
internal static class Violation
{
    private static readonly ushort[] InvalidCodes = [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535];

    public static List<Step> Plant(FuzzRandom random, FrameMaker maker, List<Step> actions, bool deflate = false)
    {
        int at = random.Between(0, actions.Count);
        if (deflate && random.Percent(DeflateViolation.Percent))
        {
            var inserted = actions.Take(at).Concat(DeflateViolation.Plant(random, maker)).ToList();
            inserted.AddRange(actions.Skip(at).Take(random.Between(0, 2)));
            return inserted;
        }

        var kind = (ViolationClass)random.Between((int)ViolationClass.ReservedBits, (int)ViolationClass.CloseReasonUtf8);
        if (kind is ViolationClass.CloseCode or ViolationClass.ClosePayloadLength or ViolationClass.CloseReasonUtf8)
        {
            return [.. actions, IllegalClose(random, kind)];
        }

        var planted = kind switch
        {
            ViolationClass.InvalidUtf8 => InvalidText(random, maker),
            ViolationClass.ControlTooLong => [maker.Action(new Frame(random.Percent(70) ? Opcode.Ping : Opcode.Pong, Payload.Of(random.Octets(random.Between(126, 300)))))],
            ViolationClass.ControlFragmented => [maker.Action(new Frame(Opcode.Ping, Payload.Of(random.Octets(random.Between(0, 20))), Fin: false))],
            ViolationClass.StrayContinuation => [maker.Action(new Frame(Opcode.Continuation, Payload.Of(Utf8Text.Valid(random, random.Between(0, 20))), Fin: random.Percent(70)))],
            ViolationClass.DataInsideMessage => DataInsideMessage(random, maker),
            _ => [Mutate(random, maker, FrameAt(actions, at) ?? new Frame(Opcode.Text, Payload.Of(Utf8Text.Valid(random, random.Between(0, 40)))), kind, deflate)],
        };

        bool replaces = kind is ViolationClass.ReservedBits or ViolationClass.ReservedOpcode or ViolationClass.Masking or ViolationClass.LengthTopBit && FrameAt(actions, at) is not null;
        var result = actions.Take(at).Concat(planted).ToList();
        int trailing = random.Between(0, 2);
        result.AddRange(actions.Skip(at + (replaces ? 1 : 0)).Take(trailing));
        return result;
    }

    private static Frame? FrameAt(List<Step> actions, int at) => at < actions.Count ? actions[at] switch
    {
        SendFrame s => s.Frame,
        SendFrameInParts p => p.Frame,
        _ => null,
    } : null;

    private static Step Mutate(FuzzRandom random, FrameMaker maker, Frame frame, ViolationClass kind, bool deflate) => kind switch
    {
        // With deflate agreed, RSV1 alone on a first data frame means "compressed" (RFC 7692 §6): RSV2 or RSV3 go with it.
        ViolationClass.ReservedBits when deflate && frame.Opcode is Opcode.Text or Opcode.Binary => maker.Action(frame with { Rsv = (byte)random.Pick(NotRsv1Alone) }),
        ViolationClass.ReservedBits => maker.Action(frame with { Rsv = (byte)random.Between(1, 7) }),
        ViolationClass.ReservedOpcode => maker.Action(frame with { Opcode = (byte)random.Pick(ReservedOpcodes) }),
        ViolationClass.Masking => new SendFrame(maker.Keyed(frame) with { Masking = Masking.AgainstRole }, Writing.Whole),
        _ => new SendFrame(maker.Keyed(frame) with { LengthEncoding = LengthEncoding.Forced64TopBit }, Writing.Whole),
    };

    private static readonly int[] NotRsv1Alone = [1, 2, 3, 5, 6, 7];

    private static readonly int[] ReservedOpcodes = [3, 4, 5, 6, 7, 11, 12, 13, 14, 15];

    /// <summary>Text with one invalid sequence (or a cut last code point), fragmented so the invalid point may sit on a boundary, pings between.</summary>
    private static List<Step> InvalidText(FuzzRandom random, FrameMaker maker)
    {
        int length = random.Between(0, 200);
        int at = random.Between(0, length);
        bool truncated = random.Percent(25);
        var payload = truncated ? Utf8Text.Truncated(random, length) : Utf8Text.WithInvalid(random, length, at);
        var cuts = maker.Cuts(payload, text: true);
        if (!truncated && random.Percent(60))
        {
            cuts.Add(at + random.Between(0, 2)); // on or just inside the invalid sequence
        }

        return [.. maker.Message(Opcode.Text, payload, cuts, controlPercent: 60)];
    }

    /// <summary>A fragmented message, then a new data frame before it ends.</summary>
    private static List<Step> DataInsideMessage(FuzzRandom random, FrameMaker maker)
    {
        var first = new Frame(random.Percent(50) ? Opcode.Text : Opcode.Binary, Payload.Of(Utf8Text.Valid(random, random.Between(0, 20))), Fin: false);
        var intruder = new Frame(random.Percent(50) ? Opcode.Text : Opcode.Binary, Payload.Of(Utf8Text.Valid(random, random.Between(0, 20))), Fin: random.Percent(50));
        var steps = new List<Step> { maker.Action(first) };
        if (random.Percent(40))
        {
            steps.Add(maker.Control());
        }

        steps.Add(maker.Action(intruder));
        return steps;
    }

    private static Step IllegalClose(FuzzRandom random, ViolationClass kind)
    {
        var reason = Utf8Text.Valid(random, random.Between(0, 20));
        return kind switch
        {
            ViolationClass.CloseCode => new StartClose(random.Pick(InvalidCodes), Payload.Of(reason)),
            ViolationClass.ClosePayloadLength when random.Percent(50) => new StartCloseRaw(Payload.Of((byte)random.Below(256))),
            ViolationClass.ClosePayloadLength => new StartClose(CloseCodes.Normal, Payload.Of(Utf8Text.Valid(random, FrameLimits.MaxControlPayload - 1))), // 126 octets
            _ when random.Percent(50) => new StartClose(CloseCodes.Normal, Payload.Of(Utf8Text.Truncated(random, random.Between(0, 30)))), // cut inside a code point
            _ => new StartClose(CloseCodes.Normal, Payload.Of(Utf8Text.WithInvalid(random, 20, random.Between(0, 20)))),
        };
    }
}
