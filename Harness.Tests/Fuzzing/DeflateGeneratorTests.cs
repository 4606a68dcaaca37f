using System.Text.Json;
using Conformance.Cases.Fuzzing;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>Generator version 2 (<c>fuzz --deflate</c>): deterministic, mostly valid, every permessage-deflate ingredient reachable, version 1 untouched.</summary>
public sealed class DeflateGeneratorTests
{
    private static FuzzScript V2(ulong seed, long index) => FuzzGenerator.Script(FuzzGenerator.DeflateVersion, seed, index);

    [Test]
    public void Version_1_is_what_it_was_and_version_2_is_a_branch_beside_it()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FuzzGenerator.VersionFor(deflate: false), Is.EqualTo(1));
            Assert.That(FuzzGenerator.VersionFor(deflate: true), Is.EqualTo(2));
            for (long index = 0; index < 50; index++)
            {
                var v1 = FuzzGenerator.Script(1, 7, index);
                Assert.That(GeneratorTests.Json(v1.Actions), Is.EqualTo(GeneratorTests.Json(FuzzGenerator.Actions(7, index))), "Script(1, …) is Actions(…)");
                Assert.That(v1.Deflate, Is.Null, "no offer in version 1");
                Assert.That(V2(7, index).Deflate, Is.Not.Null, "an offer in every version 2 case");
            }
        });
    }

    [Test]
    public void The_same_seed_and_index_give_the_same_script_and_offer()
    {
        for (long index = 0; index < 200; index++)
        {
            var first = V2(42, index);
            var again = V2(42, index);
            Assert.That(GeneratorTests.Json(again.Actions), Is.EqualTo(GeneratorTests.Json(first.Actions)), $"case {index}");
            Assert.That(again.Deflate!.Offers, Is.EqualTo(first.Deflate!.Offers), $"case {index}");
        }
    }

    /// <summary>A golden value: if this changes, generator v2 changed and <see cref="FuzzGenerator.DeflateVersion"/> must be bumped.</summary>
    [Test]
    public void The_script_of_a_known_case_is_pinned()
    {
        var script = V2(1, 0);
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. GeneratorTests.Json(script.Actions), .. System.Text.Encoding.UTF8.GetBytes(string.Join("|", script.Deflate!.Offers))]));
        Assert.That(hash[..16], Is.EqualTo(GoldenHashOfSeed1Case0), "generator v2 changed its output");
    }

    private const string GoldenHashOfSeed1Case0 = "7a55c6d29665f8fa";

    [Test]
    public void At_least_half_are_valid_and_the_deflate_violations_occur()
    {
        const int Cases = 3000;
        int valid = 0;
        var classes = new HashSet<ViolationClass>();
        for (long index = 0; index < Cases; index++)
        {
            var script = V2(99, index);
            FuzzCase.Build(FuzzCase.IdFor(index), script.Actions, null, out var prediction, script.Deflate);
            valid += prediction.IsValid ? 1 : 0;
            classes.Add(prediction.Violation);
        }

        Assert.Multiple(() =>
        {
            Assert.That(valid, Is.GreaterThanOrEqualTo(Cases / 2), "valid cases");
            Assert.That(classes, Is.SupersetOf(new[] { ViolationClass.CompressedControl, ViolationClass.CompressedContinuation, ViolationClass.CorruptDeflate, ViolationClass.InvalidUtf8, ViolationClass.ReservedBits }));
        });
    }

    [Test]
    public void Every_deflate_ingredient_of_the_issue_occurs()
    {
        var scripts = Enumerable.Range(0, 2000).Select(i => V2(5, i)).ToArray();
        var actions = scripts.SelectMany(s => s.Actions).ToArray();
        var deflated = actions.OfType<SendDeflated>().ToArray();
        var frames = actions.Select(a => a switch { SendFrame s => s.Frame, SendFrameInParts p => p.Frame, _ => null }).OfType<Frame>().ToArray();
        var offers = scripts.SelectMany(s => s.Deflate!.Offers).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(deflated.Any(d => d.Blocks == DeflateBlocks.Compressed && d.Message.Length > 0), "compressed messages");
            Assert.That(frames.Any(f => f.Opcode is Opcode.Text or Opcode.Binary && f.Rsv == 0), "uncompressed messages");
            Assert.That(deflated.Any(d => d.Message.Length == 0), "empty compressed messages");
            Assert.That(deflated.Any(d => d.Blocks == DeflateBlocks.Stored), "stored blocks");
            Assert.That(deflated.Any(d => d.Blocks == DeflateBlocks.Final), "final (BFINAL) blocks");
            Assert.That(deflated.Any(d => d.Fragments >= 2 && d.Between.Count > 0), "compressed fragments with control frames between");
            Assert.That(scripts.Any(s => s.Actions.OfType<SendDeflated>().GroupBy(d => Convert.ToHexString(d.Message.ToArray())).Any(g => g.Key.Length > 0 && g.Count() >= 2)), "the same message compressed again (context takeover)");
            Assert.That(frames.Any(f => Opcode.IsControl(f.Opcode) && f.Rsv == 4), "RSV1 on a control frame");
            Assert.That(frames.Any(f => f.Opcode == Opcode.Continuation && f.Rsv == 4) && deflated.Any(d => d.Damage == DeflateDamage.Rsv1OnContinuation), "RSV1 on continuation frames");
            Assert.That(deflated.Any(d => d.Damage == DeflateDamage.ReservedBlockType) && deflated.Any(d => d.Damage == DeflateDamage.BadStoredLength), "corrupt data");
            Assert.That(deflated.Any(d => d.Opcode == Opcode.Text && !Utf8Validator.IsValid(d.Message.ToArray())), "compressed text that is not UTF-8");
            Assert.That(offers.Any(o => o.Contains(PerMessageDeflate.ServerNoContextTakeover, StringComparison.Ordinal)), "server_no_context_takeover");
            Assert.That(offers.Any(o => o.Contains(PerMessageDeflate.ClientNoContextTakeover, StringComparison.Ordinal)), "client_no_context_takeover");
            Assert.That(offers.Any(o => !o.Contains("no_context_takeover", StringComparison.Ordinal)), "context takeover kept");
            Assert.That(Enumerable.Range(8, 8).All(bits => offers.Any(o => o.Contains($"{PerMessageDeflate.ServerMaxWindowBits}={bits}", StringComparison.Ordinal))), "server_max_window_bits 8-15");
            Assert.That(Enumerable.Range(8, 8).All(bits => offers.Any(o => o.Contains($"{PerMessageDeflate.ClientMaxWindowBits}={bits}", StringComparison.Ordinal))), "client_max_window_bits 8-15");
            Assert.That(offers.Any(o => o.EndsWith(PerMessageDeflate.ClientMaxWindowBits, StringComparison.Ordinal)), "client_max_window_bits without a value");
            Assert.That(scripts.Any(s => s.Deflate!.Offers.Count == 2), "a second offer to fall back to");
            Assert.That(offers.All(o => PerMessageDeflate.ParseOffer(o, out _) is not null), "every offer is valid");
        });
    }

    [Test]
    public void Deflate_actions_and_offers_survive_a_round_trip_through_a_finding_file()
    {
        for (long index = 0; index < 300; index++)
        {
            var script = V2(3, index);
            using var document = JsonDocument.Parse(GeneratorTests.Json(script.Actions));
            var read = ActionJson.Read(document.RootElement);
            Assert.That(read.Select(a => a.Describe()), Is.EqualTo(script.Actions.Select(a => a.Describe())), $"case {index}");

            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                ActionJson.WriteDeflate(json, script.Deflate);
                json.WriteEndObject();
            }

            using var root = JsonDocument.Parse(stream.ToArray());
            Assert.That(ActionJson.ReadDeflate(root.RootElement), Is.EqualTo(script.Deflate).Using<DeflateSetup>((a, b) => a.Describe() == b.Describe()), $"case {index}");
        }
    }
}
