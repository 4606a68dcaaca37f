using System.Text;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>
/// The seeded generator: (version, seed, index) → the tester's actions, the same octets on any
/// machine. About 55 % of the scripts plant no violation at all, so that long valid conversations
/// reach deep states; the rest plant one, somewhere, and may keep a couple of actions after it.
/// The oracle, not the generator, decides what a script means.
/// </summary>
public static partial class FuzzGenerator
{
    /// <summary>Bumped whenever the same (seed, index) would give another script.</summary>
    public const int Version = 1;

    /// <summary>
    /// Version 1's ingredients plus permessage-deflate (<c>fuzz --deflate</c>): an offer per case and compressed
    /// messages. A branch, not a bump: version 1 cases stay octet for octet what they were.
    /// </summary>
    public const int DeflateVersion = 2;

    public static int VersionFor(bool deflate) => deflate ? DeflateVersion : Version;

    /// <summary>The script of (version, seed, index): its actions, and the permessage-deflate offer of a version 2 case.</summary>
    public static FuzzScript Script(int version, ulong seed, long index) => version switch
    {
        Version => new FuzzScript(Actions(seed, index), null),
        DeflateVersion => DeflateScript(seed, index),
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, $"generator versions are {Version} and {DeflateVersion}"),
    };

    private const int ValidPercent = 55;

    public static IReadOnlyList<Step> Actions(ulong seed, long index)
    {
        var random = FuzzRandom.For(Version, seed, index);
        var maker = new FrameMaker(random);
        var actions = new List<Step>();
        int units = random.Percent(10) ? random.Between(8, 30) : random.Between(1, 6);
        for (int i = 0; i < units; i++)
        {
            actions.AddRange(Unit(random, maker));
        }

        if (random.Percent(ValidPercent))
        {
            if (random.Percent(80))
            {
                actions.Add(ValidClose(random));
            }

            return actions;
        }

        return Violation.Plant(random, maker, actions);
    }

    private static IEnumerable<Step> Unit(FuzzRandom random, FrameMaker maker)
    {
        int roll = random.Below(100);
        if (roll < 55)
        {
            bool text = random.Percent(60);
            int length = random.Size(70_000);
            var payload = text ? Utf8Text.Valid(random, length) : random.Octets(length);
            return maker.Message(text ? Opcode.Text : Opcode.Binary, payload, maker.Cuts(payload, text), controlPercent: 35);
        }

        if (roll < 90)
        {
            return [maker.Control()];
        }

        return [new Pause(TimeSpan.FromMilliseconds(random.Between(1, 5)))];
    }

    private static readonly ushort[] ValidCodes = [1000, 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999, 1012, 1013, 1014];

    /// <summary>A close the peer must answer: no code, or a valid code with a valid reason of 0–123 octets.</summary>
    public static Step ValidClose(FuzzRandom random)
    {
        if (random.Percent(15))
        {
            return new StartClose();
        }

        int reasonLength = random.Below(100) switch
        {
            < 40 => 0,
            < 85 => random.Between(1, 20),
            < 95 => FrameLimits.MaxControlPayload - 2,
            _ => random.Between(21, FrameLimits.MaxControlPayload - 2),
        };
        return new StartClose(random.Pick(ValidCodes), Payload.Of(Utf8Text.Valid(random, reasonLength)));
    }

    /// <summary>A short human-readable account of a script, for the case description.</summary>
    public static string Summary(IReadOnlyList<Step> actions)
    {
        int frames = actions.Count(a => a is SendFrame or SendFrameInParts);
        var text = new StringBuilder($"{frames} frame(s)");
        int deflated = actions.Count(a => a is SendDeflated);
        if (deflated > 0)
        {
            text.Append($", {deflated} compressed message(s)");
        }

        int pings = actions.Count(a => a is SendFrame { Frame.Opcode: Opcode.Ping } or SendFrameInParts { Frame.Opcode: Opcode.Ping });
        if (pings > 0)
        {
            text.Append($", {pings} ping(s)");
        }

        if (actions.Any(a => a is SendFrame { Frame.Fin: false } or SendFrameInParts { Frame.Fin: false }))
        {
            text.Append(", fragmented messages");
        }

        if (actions.LastOrDefault(a => a is StartClose or StartCloseRaw) is { } close)
        {
            text.Append(", then ").Append(close.Describe());
        }

        return text.ToString();
    }
}
