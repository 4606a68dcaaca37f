using System.Text.Json;
using Conformance.Cases.Fuzzing;
using Conformance.Cases.Scripting;
using Conformance.Harness.Fuzzing;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>The generator: deterministic octet for octet, mostly valid, every ingredient reachable.</summary>
public sealed class GeneratorTests
{
    [Test]
    public void The_same_seed_and_index_give_the_same_octets()
    {
        for (long index = 0; index < 200; index++)
        {
            var first = Octets(FuzzGenerator.Actions(42, index));
            var again = Octets(FuzzGenerator.Actions(42, index));
            Assert.That(again, Is.EqualTo(first), $"case {index}");
        }
    }

    /// <summary>A golden value: if this changes, the generator changed and <see cref="FuzzGenerator.Version"/> must be bumped.</summary>
    [Test]
    public void The_octets_of_a_known_case_are_pinned()
    {
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Json(FuzzGenerator.Actions(1, 0))));
        Assert.That(hash[..16], Is.EqualTo(GoldenHashOfSeed1Case0), "generator v" + FuzzGenerator.Version + " changed its output");
    }

    private const string GoldenHashOfSeed1Case0 = "2c572cef1aa8fe37";

    [Test]
    public void Different_seeds_and_indices_give_different_scripts()
    {
        var scripts = new HashSet<string>(StringComparer.Ordinal);
        for (long index = 0; index < 100; index++)
        {
            scripts.Add(Convert.ToHexString(Json(FuzzGenerator.Actions(1, index))));
            scripts.Add(Convert.ToHexString(Json(FuzzGenerator.Actions(2, index))));
        }

        Assert.That(scripts, Has.Count.GreaterThan(190));
    }

    [Test]
    public void At_least_half_of_the_cases_contain_no_violation_and_every_violation_class_occurs()
    {
        const int Cases = 3000;
        int valid = 0;
        var classes = new HashSet<ViolationClass>();
        var cells = new HashSet<CoverageCell>();
        for (long index = 0; index < Cases; index++)
        {
            FuzzCase.Build(FuzzCase.IdFor(index), FuzzGenerator.Actions(99, index), null, out var prediction);
            valid += prediction.IsValid ? 1 : 0;
            classes.Add(prediction.Violation);
            cells.UnionWith(prediction.Coverage);
        }

        Assert.Multiple(() =>
        {
            Assert.That(valid, Is.GreaterThanOrEqualTo(Cases / 2), "valid cases");
            Assert.That(classes, Is.EquivalentTo(Enum.GetValues<ViolationClass>().Where(c => c < ViolationClass.CompressedControl)), "violation classes (those of permessage-deflate are version 2's)");
            Assert.That(cells, Has.Count.GreaterThanOrEqualTo(55), "coverage cells");
        });
    }

    [Test]
    public void Every_ingredient_of_the_issue_occurs()
    {
        var actions = Enumerable.Range(0, 2000).SelectMany(i => FuzzGenerator.Actions(5, i)).ToArray();
        var frames = actions.Select(a => a switch { SendFrame s => s.Frame, SendFrameInParts p => p.Frame, _ => null }).OfType<Frame>().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(frames.Any(f => f.Opcode == 1 && !f.Fin), "fragmented text");
            Assert.That(frames.Any(f => f.Opcode == 2), "binary");
            Assert.That(frames.Any(f => f.Opcode == 9 && f.Payload.Length == 125), "a 125-octet ping");
            Assert.That(frames.Any(f => f.Opcode == 9 && f.Payload.Length > 125), "an illegal 126+ ping");
            Assert.That(frames.Any(f => f.Opcode == 10), "pongs");
            Assert.That(frames.Any(f => f.Rsv != 0), "RSV bits");
            Assert.That(frames.Any(f => f.Opcode is >= 3 and <= 7), "reserved data opcodes");
            Assert.That(frames.Any(f => f.Opcode >= 11), "reserved control opcodes");
            Assert.That(frames.Any(f => f.LengthEncoding == LengthEncoding.Forced16), "non-minimal 16-bit lengths");
            Assert.That(frames.Any(f => f.LengthEncoding == LengthEncoding.Forced64), "non-minimal 64-bit lengths");
            Assert.That(frames.Any(f => f.LengthEncoding == LengthEncoding.Forced64TopBit), "64-bit lengths with the top bit");
            Assert.That(frames.Any(f => f.Payload.Length > 65535), "64-bit lengths");
            Assert.That(frames.Any(f => f.Masking == Masking.AgainstRole), "masking against the role");
            Assert.That(actions.OfType<SendFrame>().Select(s => s.Writing.Mode).Distinct().Count(), Is.EqualTo(3), "whole, per frame, chopped");
            Assert.That(actions.OfType<SendFrameInParts>().Any(), "paused inside a frame");
            Assert.That(actions.OfType<Pause>().Any(), "paused between frames");
            Assert.That(actions.OfType<StartClose>().Any(c => c.Code is null), "close without code");
            Assert.That(actions.OfType<StartClose>().Any(c => c.Code is >= 1012 and <= 1014), "close 1012-1014");
            Assert.That(actions.OfType<StartClose>().Any(c => c.Reason?.Length == 123), "close reason of 123 octets");
            Assert.That(actions.OfType<StartClose>().Any(c => c.Reason?.Length == 124), "close reason of 124 octets");
            Assert.That(actions.OfType<StartCloseRaw>().Any(c => c.RawPayload.Length == 1), "1-octet close");
        });
    }

    [Test]
    public void Finding_actions_survive_a_round_trip_through_JSON()
    {
        for (long index = 0; index < 300; index++)
        {
            var actions = FuzzGenerator.Actions(3, index);
            using var document = JsonDocument.Parse(Json(actions));
            Assert.That(Octets(ActionJson.Read(document.RootElement)), Is.EqualTo(Octets(actions)), $"case {index}");
        }
    }

    internal static byte[] Json(IReadOnlyList<Step> actions)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            ActionJson.Write(json, actions);
        }

        return stream.ToArray();
    }

    private static byte[] Octets(IReadOnlyList<Step> actions) =>
        [.. WireWrites.Of(actions.Where(a => a is not (StartClose or StartCloseRaw)).ToArray()).SelectMany(w => w.Octets), .. Json(actions)];
}
