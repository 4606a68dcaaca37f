using Conformance.Cases.Catalogue;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using NUnit.Framework;

namespace Conformance.Tests.Cases;

/// <summary>Category 9 (limits and performance) against the specification.</summary>
public partial class CategorySixSevenNineTests
{
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
