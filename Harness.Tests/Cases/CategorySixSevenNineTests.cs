using Conformance.Cases.Catalogue;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using NUnit.Framework;

namespace Conformance.Tests.Cases;

/// <summary>Categories 6, 7 and 9 against the specification: counts, exact octets, timers, expectations, flags.</summary>
public partial class CategorySixSevenNineTests
{
    private const int MiB = 1024 * 1024;

    private static List<Case> Category(int number) => [.. Catalogue.All.Where(c => c.Category == number)];

    private static Case Get(string id) => Catalogue.Find(id) ?? throw new AssertionException($"case {id} is missing");

    private static Dictionary<string, int> CountBySubcategory(int category) =>
        Category(category).GroupBy(c => c.Id.Subcategory).ToDictionary(g => g.Key, g => g.Count());

    private static string Hex(Payload payload) => Convert.ToHexStringLower(payload.ToArray());

    // ---- category 6 ----

    [Test]
    public void Category_6_has_145_cases_in_the_specified_subcategories()
    {
        var expected = new Dictionary<string, int>
        {
            ["6.1"] = 3, ["6.2"] = 4, ["6.3"] = 2, ["6.4"] = 4, ["6.5"] = 5, ["6.6"] = 11, ["6.7"] = 4, ["6.8"] = 2,
            ["6.9"] = 4, ["6.10"] = 3, ["6.11"] = 5, ["6.12"] = 8, ["6.13"] = 5, ["6.14"] = 10, ["6.15"] = 1, ["6.16"] = 3,
            ["6.17"] = 5, ["6.18"] = 5, ["6.19"] = 5, ["6.20"] = 7, ["6.21"] = 8, ["6.22"] = 34, ["6.23"] = 7,
        };
        Assert.That(Category(6), Has.Count.EqualTo(145));
        Assert.That(CountBySubcategory(6), Is.EquivalentTo(expected));
    }

    [TestCase(6)]
    [TestCase(7)]
    [TestCase(9)]
    public void Case_numbers_run_from_1_without_gaps_and_each_subcategory_has_one_title(int category)
    {
        foreach (var group in Category(category).GroupBy(c => c.Id.Subcategory))
        {
            Assert.That(group.Select(c => c.Id.Parts[2]), Is.EqualTo(Enumerable.Range(1, group.Count())), group.Key);
            Assert.That(group.Select(c => c.SubcategoryTitle).Distinct().Count(), Is.EqualTo(1), group.Key);
            Assert.That(group.First().SubcategoryTitle, Is.Not.Empty, group.Key);
        }
    }

    [Test]
    public void Generated_cases_are_marked_valid_or_invalid_as_the_spec_lists()
    {
        var generated = Category(6).Where(c => c.Id.Parts[1] >= 5).ToList();
        var valid = generated.Where(c => c.Close == ExpectedClose.TesterCloses).Select(c => c.Id.Text).ToList();
        var validBySubcategory = generated.GroupBy(c => c.Id.Subcategory)
            .ToDictionary(g => g.Key, g => g.Count(c => c.Close == ExpectedClose.TesterCloses));

        Assert.That(generated, Has.Count.EqualTo(132));
        Assert.That(valid, Has.Count.EqualTo(63));
        Assert.That(valid.Where(id => id.StartsWith("6.6.", StringComparison.Ordinal)), Is.EqualTo(new[] { "6.6.2", "6.6.5", "6.6.7", "6.6.9", "6.6.11" }));
        Assert.That(valid.Where(id => id.StartsWith("6.11.", StringComparison.Ordinal)), Is.EqualTo(new[] { "6.11.1", "6.11.2", "6.11.3", "6.11.4" }));
        Assert.That(validBySubcategory["6.22"], Is.EqualTo(34));
        Assert.That(validBySubcategory["6.12"] + validBySubcategory["6.13"] + validBySubcategory["6.20"] + validBySubcategory["6.21"], Is.Zero);
    }

    [Test]
    public void Generated_cases_send_one_text_frame_then_arm_kill_half_a_second()
    {
        foreach (var @case in Category(6).Where(c => c.Id.Parts[1] >= 5))
        {
            Assert.That(@case.Script, Has.Count.EqualTo(2), @case.Id.Text);
            var send = (SendFrame)@case.Script[0];
            Assert.That(send.Frame.Opcode, Is.EqualTo(Opcode.Text), @case.Id.Text);
            Assert.That(send.Frame.Fin, Is.True, @case.Id.Text);
            Assert.That(@case.Script[1], Is.EqualTo(new ArmKill(TimeSpan.FromSeconds(0.5))), @case.Id.Text);
            var expected = @case.Close == ExpectedClose.TesterCloses
                ? new[] { MessageEvent.Expect(send.Frame.Payload, false) }
                : [];
            Assert.That(((ExpectEvents)@case.Behavior).Ok, Is.EqualTo(expected), @case.Id.Text);
            Assert.That(@case.Close, Is.EqualTo(ExpectedClose.TesterCloses).Or.EqualTo(ExpectedClose.PeerFailsInvalidUtf8), @case.Id.Text);
        }
    }

    [Test]
    public void Subcategory_6_22_lists_the_non_characters_in_autobahns_order()
    {
        string[] expected =
        [
            "efbfbe", "efbfbf",
            "f09fbfbe", "f09fbfbf", "f0afbfbe", "f0afbfbf", "f0bfbfbe", "f0bfbfbf",
            "f18fbfbe", "f18fbfbf", "f19fbfbe", "f19fbfbf", "f1afbfbe", "f1afbfbf", "f1bfbfbe", "f1bfbfbf",
            "f28fbfbe", "f28fbfbf", "f29fbfbe", "f29fbfbf", "f2afbfbe", "f2afbfbf", "f2bfbfbe", "f2bfbfbf",
            "f38fbfbe", "f38fbfbf", "f39fbfbe", "f39fbfbf", "f3afbfbe", "f3afbfbf", "f3bfbfbe", "f3bfbfbf",
            "f48fbfbe", "f48fbfbf",
        ];
        var sent = Category(6).Where(c => c.Id.Subcategory == "6.22").Select(c => Hex(((SendFrame)c.Script[0]).Frame.Payload));
        Assert.That(sent, Is.EqualTo(expected));
    }

    [TestCase("6.12.8", 63, 0x80, 0xBE)]
    [TestCase("6.13.1", 62, 0xC0, 0x20)]
    [TestCase("6.13.2", 30, 0xE0, 0x20)]
    [TestCase("6.13.3", 14, 0xF0, 0x20)]
    [TestCase("6.13.4", 6, 0xF8, 0x20)]
    [TestCase("6.13.5", 2, 0xFC, 0x20)]
    [TestCase("6.15.1", 30, 0xC0, 0xBF)]
    public void Generated_ranges_have_the_specified_length_and_ends(string id, int length, int first, int last)
    {
        var octets = ((SendFrame)Get(id).Script[0]).Frame.Payload.ToArray();
        Assert.That(octets, Has.Length.EqualTo(length));
        Assert.That(octets[0], Is.EqualTo(first));
        Assert.That(octets[^1], Is.EqualTo(last));
    }

    [Test]
    public void Lonely_start_characters_run_up_to_0xDE_each_followed_by_a_space()
    {
        var octets = ((SendFrame)Get("6.13.1").Script[0]).Frame.Payload.ToArray();
        Assert.That(octets.Where((_, i) => i % 2 == 0), Is.EqualTo(Enumerable.Range(0xC0, 31).Select(b => (byte)b)));
        Assert.That(octets.Where((_, i) => i % 2 == 1), Is.All.EqualTo(0x20));
    }

    [Test]
    public void Concatenation_of_incomplete_sequences_is_exactly_the_spec_hex() =>
        Assert.That(Hex(((SendFrame)Get("6.15.1").Script[0]).Frame.Payload), Is.EqualTo("c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf"));

    [Test]
    public void Paired_surrogates_are_in_high_major_order()
    {
        var sent = Category(6).Where(c => c.Id.Subcategory == "6.21").Select(c => Hex(((SendFrame)c.Script[0]).Frame.Payload));
        Assert.That(sent, Is.EqualTo(new[]
        {
            "eda080edb080", "eda080edbfbf", "edadbfedb080", "edadbfedbfbf", "edae80edb080", "edae80edbfbf", "edafbfedb080", "edafbfedbfbf",
        }));
    }

    [TestCase("6.1.1", typeof(ArmCloseAfter))]
    [TestCase("6.1.3", typeof(ArmCloseAfter))]
    [TestCase("6.2.4", typeof(ArmCloseAfter))]
    [TestCase("6.3.1", typeof(ArmKill))]
    [TestCase("6.3.2", typeof(ArmKill))]
    public void Hand_written_cases_end_with_a_one_second_timer(string id, Type timer)
    {
        var last = Get(id).Script[^1];
        Assert.That(last, Is.TypeOf(timer));
        Assert.That(last is ArmKill k ? k.After : ((ArmCloseAfter)last).After, Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [TestCase("6.2.3", 29)]
    [TestCase("6.2.4", 11)]
    [TestCase("6.3.2", 20)]
    public void One_octet_fragmentation_adds_an_empty_final_frame(string id, int octets)
    {
        var frames = Get(id).Script.OfType<SendMessage>().Single().Frames().ToList();
        Assert.That(frames, Has.Count.EqualTo(octets + 1));
        Assert.That(frames[0].Opcode, Is.EqualTo(Opcode.Text));
        Assert.That(frames.Skip(1).Select(f => f.Opcode), Is.All.EqualTo(Opcode.Continuation));
        Assert.That(frames.Take(octets).Select(f => (f.Payload.Length, f.Fin)), Is.All.EqualTo((1L, false)));
        Assert.That((frames[^1].Payload.Length, frames[^1].Fin), Is.EqualTo((0L, true)));
    }

    [Test]
    public void Case_6_2_2_splits_on_a_code_point_boundary()
    {
        var frames = Get("6.2.2").Script.OfType<SendFrame>().Select(s => s.Frame).ToList();
        Assert.That(frames.Select(f => f.Payload.Length), Is.EqualTo(new[] { 15L, 14L }));
        Assert.That(Utf8Validator.IsValid(frames[0].Payload.ToArray()), Is.True);
    }

    [TestCase("6.4.3", new[] { 11, 4, 6 })]
    [TestCase("6.4.4", new[] { 12, 1, 8 })]
    public void Fail_fast_in_one_frame_writes_21_octets_in_three_parts(string id, int[] parts)
    {
        var script = Get(id).Script;
        var inParts = (SendFrameInParts)script[0];
        Assert.That(inParts.Frame.Opcode, Is.EqualTo(Opcode.Text));
        Assert.That(inParts.Frame.Fin, Is.False);
        Assert.That(Hex(inParts.Frame.Payload), Is.EqualTo("cebae1bdb9cf83cebcceb5f4908080656469746564"));
        Assert.That(inParts.PartLengths, Is.EqualTo(parts));
        Assert.That(inParts.Pauses, Is.EqualTo(new[] { new Pause(TimeSpan.FromSeconds(1), "A"), new Pause(TimeSpan.FromSeconds(1), "B") }));
        Assert.That(script[1], Is.EqualTo(new SendFrame(new Frame(Opcode.Continuation, Payload.Empty))));
        Assert.That(script[2], Is.EqualTo(new ArmKill(TimeSpan.FromSeconds(1))));
        Assert.That(script, Has.Count.EqualTo(3));
    }

    [Test]
    public void Description_of_6_4_4_shows_the_third_part_really_sent() =>
        Assert.That(Get("6.4.4").Description, Does.Contain("PART1 = 0xcebae1bdb9cf83cebcceb5f4").And.Contain("PART2 = 0x90 ").And.Contain("PART3 = 0x8080656469746564"));

    [TestCase("6.4.1", new[] { "cebae1bdb9cf83cebcceb5", "f4908080", "656469746564" })]
    [TestCase("6.4.2", new[] { "cebae1bdb9cf83cebcceb5f4", "90", "8080656469746564" })]
    public void Fail_fast_in_frames_pauses_between_the_three_frames(string id, string[] payloads)
    {
        var script = Get(id).Script;
        Assert.That(script.Select(s => s.GetType().Name), Is.EqualTo(new[] { "SendFrame", "Pause", "SendFrame", "Pause", "SendFrame", "ArmKill" }));
        var frames = script.OfType<SendFrame>().Select(s => s.Frame).ToList();
        Assert.That(frames.Select(f => Hex(f.Payload)), Is.EqualTo(payloads));
        Assert.That(frames.Select(f => (f.Opcode, f.Fin)), Is.EqualTo(new[] { (Opcode.Text, false), (Opcode.Continuation, false), (Opcode.Continuation, true) }));
        Assert.That(script.OfType<Pause>().Select(p => p.Tag), Is.EqualTo(new[] { "A", "B" }));
    }

    [TestCase("6.4.1")]
    [TestCase("6.4.2")]
    [TestCase("6.4.3")]
    [TestCase("6.4.4")]
    public void Fail_fast_expects_marker_A_for_ok_and_A_B_for_non_strict(string id)
    {
        var @case = Get(id);
        var rule = (ExpectEvents)@case.Behavior;
        Assert.That(rule.Ok, Is.EqualTo(new[] { new TimeoutEvent("A") }));
        Assert.That(rule.NonStrict, Is.EqualTo(new[] { new TimeoutEvent("A"), new TimeoutEvent("B") }));
        Assert.That(@case.Close, Is.EqualTo(ExpectedClose.PeerFailsInvalidUtf8));
    }
}
