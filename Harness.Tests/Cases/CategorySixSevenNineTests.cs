using Conformance.Cases.Catalogue;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using NUnit.Framework;

namespace Conformance.Tests.Cases;

/// <summary>Categories 6, 7 and 9 against the specification: counts, exact octets, timers, expectations, flags.</summary>
public class CategorySixSevenNineTests
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

    // ---- category 7 ----

    [Test]
    public void Category_7_has_37_cases_in_the_specified_subcategories()
    {
        Assert.That(Category(7), Has.Count.EqualTo(37));
        Assert.That(CountBySubcategory(7), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["7.1"] = 6, ["7.3"] = 6, ["7.5"] = 1, ["7.7"] = 13, ["7.9"] = 9, ["7.13"] = 2,
        }));
    }

    [Test]
    public void Category_7_flags_follow_the_spec()
    {
        foreach (var @case in Category(7))
        {
            string id = @case.Id.Text;
            string sub = @case.Id.Subcategory;
            int n = @case.Id.Parts[2];
            var expected = CaseFlags.None;
            if ((sub == "7.1" && n <= 5) || sub is "7.3" or "7.5" or "7.7" or "7.9")
            {
                expected |= CaseFlags.WrongCodeFailsBehavior;
            }

            if ((sub == "7.1" && n >= 2) || sub is "7.3" or "7.5" or "7.13")
            {
                expected |= CaseFlags.NoAutoClose;
            }

            if (id == "7.1.6" || sub == "7.13")
            {
                expected |= CaseFlags.Informational;
            }

            Assert.That(@case.Flags, Is.EqualTo(expected), id);
        }
    }

    [Test]
    public void Every_category_7_case_is_closed_by_the_tester_and_ends_with_kill_after_one_second()
    {
        foreach (var @case in Category(7))
        {
            Assert.That(@case.Close.ClosedByTester, Is.True, @case.Id.Text);
            Assert.That(@case.Script[^1], Is.EqualTo(new ArmKill(TimeSpan.FromSeconds(1))), @case.Id.Text);
            Assert.That(@case.Script.Count(s => s is StartClose or StartCloseRaw), Is.EqualTo(@case.Id.Text == "7.1.1" ? 0 : 1), @case.Id.Text);
        }
    }

    [Test]
    public void Valid_codes_are_sent_in_order_and_accepted_back_with_1000()
    {
        ushort[] codes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
        var cases = Category(7).Where(c => c.Id.Subcategory == "7.7").ToList();
        Assert.That(cases.Select(c => ((StartClose)c.Script[0]).Code), Is.EqualTo(codes.Select(c => (ushort?)c)));
        Assert.That(cases.Select(c => ((StartClose)c.Script[0]).Reason), Is.All.Null);
        for (int i = 0; i < codes.Length; i++)
        {
            Assert.That(cases[i].Close, Is.EqualTo(new ExpectedClose(true, [1000, codes[i]], true)).Using<ExpectedClose>(SameClose), cases[i].Id.Text);
        }
    }

    [Test]
    public void Invalid_codes_are_sent_in_order_and_must_be_refused_with_1002()
    {
        ushort[] codes = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];
        var cases = Category(7).Where(c => c.Id.Subcategory == "7.9").ToList();
        Assert.That(cases.Select(c => ((StartClose)c.Script[0]).Code), Is.EqualTo(codes.Select(c => (ushort?)c)));
        Assert.That(codes.Where(c => CloseCodes.IsValidOnWire(c)), Is.Empty, "every 7.9 code must be invalid for our own validator");
        Assert.That(cases.Select(c => c.Close), Is.All.EqualTo(new ExpectedClose(true, [1002], false)).Using<ExpectedClose>(SameClose));
    }

    [TestCase("7.3.2", new[] { 1002 }, false)]
    [TestCase("7.3.6", new[] { 1002 }, false)]
    [TestCase("7.5.1", new[] { 1002, 1007 }, false)]
    [TestCase("7.3.1", new[] { 1000 }, true)]
    [TestCase("7.3.5", new[] { 1000 }, true)]
    [TestCase("7.1.1", new[] { 1000 }, true)]
    [TestCase("7.13.2", new[] { 1000, 65535, 1002 }, false)]
    public void Close_records_follow_the_spec_table(string id, int[] codes, bool clean) =>
        Assert.That(Get(id).Close, Is.EqualTo(new ExpectedClose(true, codes, clean)).Using<ExpectedClose>(SameClose));

    [Test]
    public void Case_7_3_6_closes_with_a_126_octet_payload()
    {
        var close = (StartClose)Get("7.3.6").Script[0];
        Assert.That(close.Code, Is.EqualTo(1000));
        Assert.That(2 + close.Reason!.Length, Is.EqualTo(126));
        Assert.That(close.Reason.ToArray(), Is.All.EqualTo((byte)'*'));
        Assert.That(2 + ((StartClose)Get("7.3.5").Script[0]).Reason!.Length, Is.EqualTo(125));
    }

    [Test]
    public void Case_7_3_2_closes_with_the_single_octet_a_and_7_3_1_with_nothing()
    {
        Assert.That(Hex(((StartCloseRaw)Get("7.3.2").Script[0]).RawPayload), Is.EqualTo("61"));
        Assert.That(Get("7.3.1").Script[0], Is.EqualTo(new StartClose()));
    }

    [Test]
    public void Case_7_5_1_reason_is_the_invalid_bad20_payload()
    {
        var close = (StartClose)Get("7.5.1").Script[0];
        Assert.That(close.Code, Is.EqualTo(1000));
        Assert.That(Hex(close.Reason!), Is.EqualTo("cebae1bdb9cf83cebcceb5eda080656469746564"));
    }

    [Test]
    public void Case_7_1_2_sends_a_raw_empty_close_after_the_normal_one()
    {
        var script = Get("7.1.2").Script;
        Assert.That(script[0], Is.EqualTo(new StartClose(1000)));
        Assert.That(script[1], Is.EqualTo(new SendFrame(new Frame(Opcode.Close, Payload.Empty))));
    }

    [Test]
    public void Case_7_1_6_is_informational_with_the_small_echo_as_ok_list()
    {
        var @case = Get("7.1.6");
        var rule = (ExpectEvents)@case.Behavior;
        Assert.That(rule.Ok, Is.EqualTo(new[] { MessageEvent.Expect(Payload.Text("Hello World!"), false) }));
        Assert.That(rule.NonStrict, Is.Empty);
        var first = ((SendFrame)@case.Script[0]).Frame;
        Assert.That((first.Opcode, first.Payload.Length), Is.EqualTo((Opcode.Text, 262144L)));
        Assert.That(@case.Script.Select(s => s.GetType().Name), Is.EqualTo(new[] { "SendFrame", "SendFrame", "StartClose", "SendFrame", "ArmKill" }));
    }

    private static bool SameClose(ExpectedClose a, ExpectedClose b) =>
        a.ClosedByTester == b.ClosedByTester && a.Codes.SequenceEqual(b.Codes) && a.RequireClean == b.RequireClean && a.WrongEndpointIsFatal == b.WrongEndpointIsFatal;

    // ---- category 9 ----

    [Test]
    public void Category_9_has_54_cases_in_the_specified_subcategories()
    {
        Assert.That(Category(9), Has.Count.EqualTo(54));
        Assert.That(CountBySubcategory(9), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["9.1"] = 6, ["9.2"] = 6, ["9.3"] = 9, ["9.4"] = 9, ["9.5"] = 6, ["9.6"] = 6, ["9.7"] = 6, ["9.8"] = 6,
        }));
    }

    [TestCase("9.1", new[] { 10, 10, 100, 100, 100, 100 })]
    [TestCase("9.2", new[] { 10, 10, 10, 10, 100, 100 })]
    [TestCase("9.3", new[] { 100, 100, 100, 100, 100, 100, 100, 100, 100 })]
    [TestCase("9.4", new[] { 100, 100, 100, 100, 100, 100, 100, 100, 100 })]
    [TestCase("9.5", new[] { 1000, 1000, 1000, 1000, 1000, 1000 })]
    [TestCase("9.6", new[] { 1000, 1000, 1000, 1000, 1000, 1000 })]
    [TestCase("9.7", new[] { 60, 60, 60, 120, 240, 480 })]
    [TestCase("9.8", new[] { 60, 60, 60, 120, 240, 480 })]
    public void Close_after_timer_is_armed_right_after_the_first_send(string sub, int[] waits)
    {
        var cases = Category(9).Where(c => c.Id.Subcategory == sub).ToList();
        Assert.That(cases.Select(c => c.Script[1]), Is.EqualTo(waits.Select(w => new ArmCloseAfter(TimeSpan.FromSeconds(w)))));
        Assert.That(cases.Select(c => c.Script[0]), Is.All.InstanceOf<SendFrame>().Or.InstanceOf<SendMessage>());
        Assert.That(cases.Select(c => c.Close), Is.All.EqualTo(ExpectedClose.TesterCloses));
    }

    [TestCase("9.1", false, "424173643726")]
    [TestCase("9.2", true, "00fe23faf000")]
    public void Single_frame_sizes_grow_from_64_KiB_to_16_MiB(string sub, bool binary, string head)
    {
        long[] sizes = [65536, 262144, MiB, 4 * MiB, 8 * MiB, 16 * MiB];
        var cases = Category(9).Where(c => c.Id.Subcategory == sub).ToList();
        var frames = cases.Select(c => ((SendFrame)c.Script[0]).Frame).ToList();
        Assert.That(frames.Select(f => f.Payload.Length), Is.EqualTo(sizes));
        Assert.That(frames.Select(f => f.Opcode), Is.All.EqualTo(binary ? Opcode.Binary : Opcode.Text));
        Assert.That(frames.Select(f => f.Payload.IsLiteral), Is.All.False, "big payloads stay repeat() descriptions");
        Assert.That(frames.Select(f => Convert.ToHexStringLower(f.Payload.Head(6))), Is.All.EqualTo(head));
        Assert.That(cases.Select(c => c.Behavior), Is.EqualTo(sizes.Select(s => new ExpectEchoes(1, binary, s))));
    }

    [Test]
    public void Case_9_2_5_is_8_MiB_and_says_so()
    {
        var @case = Get("9.2.5");
        Assert.That(((SendFrame)@case.Script[0]).Frame.Payload.Length, Is.EqualTo(8 * MiB));
        Assert.That(@case.Description, Does.Contain("8 MiB").And.Not.Contain("16 MiB in one frame"));
    }

    [Test]
    public void Case_9_3_1_is_65537_frames_ending_with_an_empty_continuation()
    {
        var message = (SendMessage)Get("9.3.1").Script[0];
        Assert.That((message.Opcode, message.Payload.Length, message.FragmentSize), Is.EqualTo((Opcode.Text, 4L * MiB, 64)));
        int count = 0;
        Frame? last = null;
        foreach (var frame in message.Frames())
        {
            if (count < 65536)
            {
                Assert.That((frame.Payload.Length, frame.Fin), Is.EqualTo((64L, false)));
            }

            count++;
            last = frame;
        }

        Assert.That(count, Is.EqualTo(65537));
        Assert.That((last!.Opcode, last.Payload.Length, last.Fin), Is.EqualTo((Opcode.Continuation, 0L, true)));
    }

    [TestCase("9.3.9", Opcode.Text, (byte)'*')]
    [TestCase("9.4.9", Opcode.Binary, (byte)'*')]
    public void Four_MiB_fragments_give_a_single_frame(string id, byte opcode, byte octet)
    {
        var message = (SendMessage)Get(id).Script[0];
        var frames = message.Frames().ToList();
        Assert.That(frames, Has.Count.EqualTo(1));
        Assert.That((frames[0].Opcode, frames[0].Payload.Length, frames[0].Fin), Is.EqualTo((opcode, 4L * MiB, true)));
        Assert.That(frames[0].Payload.Head(1)[0], Is.EqualTo(octet));
    }

    [Test]
    public void Fragment_sizes_and_payload_octets_of_9_3_and_9_4()
    {
        int[] sizes = [64, 256, 1024, 4096, 16384, 65536, 262144, MiB, 4 * MiB];
        var text = Category(9).Where(c => c.Id.Subcategory == "9.3").Select(c => (SendMessage)c.Script[0]).ToList();
        var binary = Category(9).Where(c => c.Id.Subcategory == "9.4").Select(c => (SendMessage)c.Script[0]).ToList();
        Assert.That(text.Select(m => m.FragmentSize), Is.EqualTo(sizes));
        Assert.That(binary.Select(m => m.FragmentSize), Is.EqualTo(sizes));
        Assert.That(text.Concat(binary).Select(m => m.Payload.Length), Is.All.EqualTo(4L * MiB));
        Assert.That(binary.Select(m => m.Payload.Head(1)[0]), Is.EqualTo(new byte[] { 0xFE, 0x2A, 0x2A, 0x2A, 0x2A, 0x2A, 0x2A, 0x2A, 0x2A }));
        Assert.That(Get("9.4.2").Description, Does.Contain("0x2a"));
        Assert.That(Get("9.3.9").Description, Does.Contain("4 MiB"));
    }

    [TestCase("9.5", Opcode.Text)]
    [TestCase("9.6", Opcode.Binary)]
    public void One_MiB_frames_are_written_in_growing_chops(string sub, byte opcode)
    {
        var sends = Category(9).Where(c => c.Id.Subcategory == sub).Select(c => (SendFrame)c.Script[0]).ToList();
        Assert.That(sends.Select(s => s.Writing), Is.EqualTo(new[] { 64, 128, 256, 512, 1024, 2048 }.Select(Writing.Chop)));
        Assert.That(sends.Select(s => (s.Frame.Opcode, s.Frame.Payload.Length, s.Frame.Fin)), Is.All.EqualTo((opcode, (long)MiB, true)));
    }

    [Test]
    public void Binary_chop_cases_say_binary()
    {
        foreach (var @case in Category(9).Where(c => c.Id.Subcategory == "9.6"))
        {
            Assert.That(@case.Description, Does.Contain("binary").And.Not.Contain("text message"), @case.Id.Text);
            Assert.That(@case.Expectation, Does.Contain("binary").And.Not.Contain("text"), @case.Id.Text);
        }
    }

    [TestCase("9.7", Opcode.Text, (byte)'*')]
    [TestCase("9.8", Opcode.Binary, (byte)0xFE)]
    public void Round_trips_are_1000_sequential_sends_each_awaiting_its_echo(string sub, byte opcode, byte octet)
    {
        long[] lengths = [0, 16, 64, 256, 1024, 4096];
        var cases = Category(9).Where(c => c.Id.Subcategory == sub).ToList();
        Assert.That(cases.Select(c => c.Behavior), Is.EqualTo(lengths.Select(l => new ExpectEchoes(1000, opcode == Opcode.Binary, l))));
        for (int i = 0; i < cases.Count; i++)
        {
            var script = cases[i].Script.Where(s => s is not ArmCloseAfter).ToList();
            Assert.That(cases[i].Script, Has.Count.EqualTo(2001));
            Assert.That(script.Where((_, k) => k % 2 == 0), Is.All.EqualTo(new SendFrame(new Frame(opcode, Payload.Repeat(octet, lengths[i])))));
            Assert.That(script.Where((_, k) => k % 2 == 1), Is.All.InstanceOf<AwaitMessage>());
        }
    }
}
