using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>Turns frames into actions with the generator's choices of writing, pauses, masking key and length form.</summary>
internal sealed class FrameMaker(FuzzRandom random)
{
    private const int MaxChoppedFrame = 1024;

    public Frame Keyed(Frame frame) => frame with { MaskKey = random.Octets(FrameLimits.MaskKeyLength) };

    /// <summary>One frame as an action: written whole, alone, chopped into small writes, or in parts with pauses.</summary>
    public Step Action(Frame frame)
    {
        frame = Keyed(frame);
        if (random.Percent(3) && frame.Payload.Length <= ushort.MaxValue)
        {
            frame = frame with { LengthEncoding = random.Percent(50) ? LengthEncoding.Forced16 : LengthEncoding.Forced64 };
        }

        int roll = random.Below(100);
        if (roll < 5 && frame.Payload.Length >= 2)
        {
            int first = random.Between(0, (int)Math.Min(frame.Payload.Length - 1, int.MaxValue));
            var pause = new Pause(TimeSpan.FromMilliseconds(random.Between(1, 3)));
            return new SendFrameInParts(frame, [first], [pause]);
        }

        bool small = frame.Payload.Length <= MaxChoppedFrame;
        return roll switch
        {
            < 60 => new SendFrame(frame, Writing.Whole),
            < 80 => new SendFrame(frame, Writing.FramePerWrite),
            _ when small => new SendFrame(frame, Writing.Chop(random.Pick(ChopSizes))),
            _ => new SendFrame(frame, Writing.Whole),
        };
    }

    private static readonly int[] ChopSizes = [1, 1, 2, 3, 5, 7, 16];

    /// <summary>A data message cut into fragments (possibly empty ones), with control frames between them.</summary>
    public IEnumerable<Step> Message(byte opcode, byte[] payload, IReadOnlyList<int> cuts, int controlPercent)
    {
        int start = 0;
        var ends = cuts.Where(c => c >= 0 && c < payload.Length).Distinct().Order().Append(payload.Length).ToArray();
        if (random.Percent(10))
        {
            ends = [.. ends.SkipLast(1), payload.Length, payload.Length]; // an empty final fragment
        }

        for (int i = 0; i < ends.Length; i++)
        {
            bool fin = i == ends.Length - 1;
            var frame = new Frame(i == 0 ? opcode : Opcode.Continuation, Payload.Of(payload.AsSpan(start, ends[i] - start)), fin);
            yield return Action(frame);
            start = ends[i];
            if (!fin && random.Percent(controlPercent))
            {
                yield return Control();
            }
        }
    }

    /// <summary>A ping (0–125 octets) or an unsolicited pong.</summary>
    public Step Control() => Action(ControlFrame());

    /// <summary>The frame of <see cref="Control"/> (not yet keyed): the same draws, in the same order.</summary>
    public Frame ControlFrame()
    {
        int length = random.Below(100) switch
        {
            < 30 => 0,
            < 80 => random.Between(1, 16),
            < 90 => FrameLimits.MaxControlPayload,
            _ => random.Between(17, FrameLimits.MaxControlPayload),
        };
        byte opcode = random.Percent(80) ? Opcode.Ping : Opcode.Pong;
        return new Frame(opcode, Payload.Of(random.Octets(length)));
    }

    /// <summary>Fragment boundaries: none, random, or one inside a multi-octet code point.</summary>
    public List<int> Cuts(byte[] payload, bool text)
    {
        var cuts = new List<int>();
        if (random.Percent(50) || payload.Length == 0)
        {
            return random.Percent(20) ? [0] : cuts; // [0]: an empty first fragment
        }

        int count = random.Between(1, 4);
        for (int i = 0; i < count; i++)
        {
            cuts.Add(random.Between(0, payload.Length));
        }

        if (text && Utf8Text.MultiOctetStart(payload, random.Below(payload.Length)) is >= 0 and var split)
        {
            cuts.Add(split + 1);
        }

        return cuts;
    }
}
