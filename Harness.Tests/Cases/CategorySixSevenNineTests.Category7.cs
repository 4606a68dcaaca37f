using Conformance.Cases.Catalogue;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using NUnit.Framework;

namespace Conformance.Tests.Cases;

/// <summary>Category 7 (closing) against the specification.</summary>
public partial class CategorySixSevenNineTests
{
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
}
