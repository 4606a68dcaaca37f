using System.Text;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Cases;

public sealed class CatalogueSanityTests
{
    [Test]
    public void IdsAreUnique()
    {
        var duplicates = CaseCatalogue.All.GroupBy(c => c.Id.Text).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.That(duplicates, Is.Empty);
    }

    [TestCase(1, 16)]
    [TestCase(2, 11)]
    [TestCase(3, 7)]
    [TestCase(4, 10)]
    [TestCase(5, 20)]
    [TestCase(6, 145)]
    [TestCase(7, 37)]
    [TestCase(9, 54)]
    [TestCase(10, 1)]
    public void AutobahnCategoryHasItsCaseCount(int category, int expected) =>
        Assert.That(CaseCatalogue.All.Count(c => c.Category == category), Is.EqualTo(expected));

    [Test]
    public void MaskingCategoryHasAtLeastSixCases() =>
        Assert.That(CaseCatalogue.All.Count(c => c.Category == 11), Is.GreaterThanOrEqualTo(6));

    [Test]
    public void EachCategoryBuildsOnlyItsOwnCases()
    {
        foreach (var category in CaseCatalogue.Categories)
        {
            Assert.That(category.Build().Select(c => c.Category).Distinct(), Is.SubsetOf(new[] { category.Number }), category.Name);
        }
    }

    [Test]
    public void EveryCaseIsDescribed()
    {
        var bare = CaseCatalogue.All.Where(c =>
            string.IsNullOrWhiteSpace(c.Description) || string.IsNullOrWhiteSpace(c.Expectation) || !c.RfcSection.StartsWith("RFC ", StringComparison.Ordinal));

        Assert.That(bare.Select(c => c.Id.Text), Is.Empty);
    }

    [Test]
    public void EveryCaseSendsSomethingAndArmsATimer()
    {
        // A refused handshake (15.2) opens no connection: the opening-handshake timeout bounds it.
        var untimed = CaseCatalogue.All.Where(c =>
            !c.Script.Any(s => s is SendFrame or SendMessage or SendFrameInParts or StartClose or StartCloseRaw or SendCompressed or SendDataSetRoundTrips or SendHandshakeRequest or ServeHandshakeResponse)
            || (!c.Script.Any(s => s is ArmKill or ArmCloseAfter) && c.Handshake is not HandshakeRule.Refused));

        Assert.That(untimed.Select(c => c.Id.Text), Is.Empty);
    }

    [TestCase("2.1", "C", 1.0)]
    [TestCase("2.5", "K", 1.0)]
    [TestCase("2.6", "C", 2.0)]
    [TestCase("2.7", "C", 1.0)]
    [TestCase("2.10", "C", 3.0)]
    [TestCase("2.11", "C", 3.0)]
    [TestCase("3.4", "K", 1.0)]
    [TestCase("4.2.5", "K", 1.0)]
    [TestCase("5.2", "K", 1.0)]
    [TestCase("5.8", "C", 1.0)]
    [TestCase("5.14", "K", 1.0)]
    [TestCase("5.18", "K", 1.0)]
    [TestCase("5.20", "C", 1.0)]
    [TestCase("10.1.1", "K", 10.0)]
    [TestCase("11.1.5", "K", 1.0)]
    [TestCase("11.2.1", "K", 1.0)]
    public void TheOnlyTimerIsArmedAfterEverythingIsSent(string id, string kind, double seconds)
    {
        var script = Find(id).Script;
        var timers = script.Where(s => s is ArmKill or ArmCloseAfter).ToArray();

        Assert.That(timers, Has.Length.EqualTo(1));
        Assert.That(script[^1], Is.SameAs(timers[0]));
        Assert.That(timers[0], Is.EqualTo(kind == "K" ? new ArmKill(TimeSpan.FromSeconds(seconds)) : new ArmCloseAfter(TimeSpan.FromSeconds(seconds))));
    }

    [TestCase("2.4", "A")]
    [TestCase("2.5", "B")]
    [TestCase("2.8", "A")]
    [TestCase("3.2", "B")]
    [TestCase("3.7", "B")]
    [TestCase("4.1.3", "B")]
    [TestCase("5.3", "A")]
    [TestCase("5.15", "B")]
    [TestCase("5.19", "A")]
    [TestCase("10.1.1", "A")]
    [TestCase("11.1.3", "B")]
    [TestCase("11.2.2", "A")]
    public void CloseProfile(string id, string profile) =>
        Assert.That(Find(id).Close, Is.SameAs(profile == "A" ? ExpectedClose.TesterCloses : ExpectedClose.PeerFailsProtocolError));

    [TestCase("3.3", WriteMode.FramePerWrite, 0, 3)]
    [TestCase("3.4", WriteMode.Chopped, 1, 3)]
    [TestCase("4.1.5", WriteMode.Chopped, 1, 3)]
    [TestCase("2.6", WriteMode.Chopped, 1, 1)]
    [TestCase("2.11", WriteMode.Chopped, 1, 10)]
    [TestCase("5.4", WriteMode.FramePerWrite, 0, 2)]
    [TestCase("5.8", WriteMode.Chopped, 1, 3)]
    [TestCase("5.11", WriteMode.Chopped, 1, 2)]
    [TestCase("5.20", WriteMode.FramePerWrite, 0, 7)]
    [TestCase("5.19", WriteMode.Whole, 0, 7)]
    public void EveryFrameIsWrittenInTheCasesMode(string id, WriteMode mode, int chop, int frames)
    {
        var sends = Find(id).Script.OfType<SendFrame>().ToArray();

        Assert.That(sends, Has.Length.EqualTo(frames));
        Assert.That(sends.Select(s => s.Writing).Distinct(), Is.EqualTo(new[] { new Writing(mode, chop) }));
    }

    [Test]
    public void Case2_3PingsWithEightBinaryOctets()
    {
        var frame = SingleFrame("2.3");

        Assert.That(frame.Opcode, Is.EqualTo(Opcode.Ping));
        Assert.That(frame.Payload.ToArray(), Is.EqualTo(new byte[] { 0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff }));
        Assert.That(((ExpectEvents)Find("2.3").Behavior).Ok, Is.EqualTo(new Event[] { PongEvent.Expect(frame.Payload) }));
    }

    [Test]
    public void Case2_5PingIsOneOctetTooLong()
    {
        var frame = SingleFrame("2.5");

        Assert.That(frame.Opcode, Is.EqualTo(Opcode.Ping));
        Assert.That(frame.Payload.ToArray(), Is.EqualTo(Enumerable.Repeat((byte)0xFE, 126).ToArray()));
    }

    [Test]
    public void Case2_7SendsAPongThenStartsTheClosingHandshake()
    {
        var script = Find("2.7").Script;

        Assert.That(script, Has.Count.EqualTo(3));
        Assert.That(script[0], Is.EqualTo(new SendFrame(Frame.Pong())));
        Assert.That(script[1], Is.EqualTo(new StartClose(1000)));
        Assert.That(((ExpectEvents)Find("2.7").Behavior).Ok, Is.Empty);
    }

    [Test]
    public void Case2_10ExpectsTenPongsInOrder()
    {
        var expected = Enumerable.Range(0, 10).Select(i => (Event)PongEvent.Expect(Payload.Text($"payload-{i}"))).ToArray();

        Assert.That(((ExpectPongs)Find("2.10").Behavior).Pongs, Is.EqualTo(expected));
        Assert.That(Frames("2.10").Select(f => Encoding.ASCII.GetString(f.Payload.ToArray())), Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"payload-{i}")));
    }

    [TestCase("3.1", Opcode.Text, 1, "Hello, world!")]
    [TestCase("3.5", Opcode.Binary, 5, "\0\u00ff\u00fe\u00fd\u00fc\u00fb\0\u00ff")]
    [TestCase("3.6", Opcode.Binary, 6, "Hello, world!")]
    [TestCase("3.7", Opcode.Close, 7, "")]
    public void SingleFrameWithReservedBits(string id, byte opcode, int rsv, string latin1Payload)
    {
        var frame = SingleFrame(id);

        Assert.That((frame.Opcode, (int)frame.Rsv), Is.EqualTo((opcode, rsv)));
        Assert.That(frame.Payload.ToArray(), Is.EqualTo(Encoding.Latin1.GetBytes(latin1Payload)));
    }

    [TestCase("3.2", 2)]
    [TestCase("3.3", 3)]
    [TestCase("3.4", 4)]
    public void ValidMessageThenReservedBitsThenPing(string id, int rsv)
    {
        var frames = Frames(id);
        var rule = (ExpectEvents)Find(id).Behavior;

        Assert.That(frames.Select(f => (f.Opcode, (int)f.Rsv)), Is.EqualTo(new[] { (Opcode.Text, 0), (Opcode.Text, rsv), (Opcode.Ping, 0) }));
        Assert.That(rule.Ok, Is.EqualTo(new Event[] { MessageEvent.Expect(Payload.Text("Hello, world!"), false) }));
        Assert.That(rule.NonStrict, Is.Not.Null.And.Empty);
    }

    [TestCase("4.1.2", 4)]
    [TestCase("4.2.2", 12)]
    public void ReservedOpcodeWithTwentyThreeOctetPayload(string id, int opcode)
    {
        var frame = SingleFrame(id);

        Assert.That((int)frame.Opcode, Is.EqualTo(opcode));
        Assert.That(frame.Payload.ToArray(), Is.EqualTo("reserved opcode payload"u8.ToArray()));
        Assert.That(frame.Payload.Length, Is.EqualTo(23));
    }

    [TestCase("4.1.3", 5, 0)]
    [TestCase("4.1.4", 6, 13)]
    [TestCase("4.2.3", 13, 0)]
    [TestCase("4.2.5", 15, 13)]
    public void ValidMessageThenReservedOpcodeThenPing(string id, int opcode, int length)
    {
        var frames = Frames(id);

        Assert.That(frames.Select(f => (int)f.Opcode), Is.EqualTo(new[] { Opcode.Text, opcode, Opcode.Ping }));
        Assert.That(frames[1].Payload.Length, Is.EqualTo(length));
        Assert.That(((ExpectEvents)Find(id).Behavior).NonStrict, Is.Not.Null.And.Empty);
    }

    [Test]
    public void Case5_9StartsWithAnOrphanFinalContinuation()
    {
        var frames = Frames("5.9");

        Assert.That(frames.Select(f => (f.Opcode, f.Fin)), Is.EqualTo(new[] { (Opcode.Continuation, true), (Opcode.Text, true) }));
        Assert.That(frames[0].Payload.ToArray(), Is.EqualTo("non-continuation payload"u8.ToArray()));
        Assert.That(frames[0].Payload.Length, Is.EqualTo(24));
    }

    [Test]
    public void Case5_15EchoesTheFirstMessageOrNothing()
    {
        var rule = (ExpectEvents)Find("5.15").Behavior;

        Assert.That(Describe(Frames("5.15")), Is.EqualTo(new[] { "TEXT 0 fragment1", "CONT 1 fragment2", "CONT 0 fragment3", "TEXT 1 fragment4" }));
        Assert.That(rule.Ok, Is.EqualTo(new Event[] { MessageEvent.Expect(Payload.Text("fragment1fragment2"), false) }));
        Assert.That(rule.NonStrict, Is.Not.Null.And.Empty);
    }

    [Test]
    public void Case5_16SendsItsBrokenSequenceTwice() =>
        Assert.That(Describe(Frames("5.16")), Is.EqualTo(new[]
        {
            "CONT 0 fragment1", "TEXT 0 fragment2", "CONT 1 fragment3",
            "CONT 0 fragment1", "TEXT 0 fragment2", "CONT 1 fragment3",
        }));

    [Test]
    public void Case5_6ExpectsThePongBeforeTheEcho()
    {
        Assert.That(Describe(Frames("5.6")), Is.EqualTo(new[] { "TEXT 0 fragment1", "PING 1 ping payload", "CONT 1 fragment2" }));
        Assert.That(((ExpectEvents)Find("5.6").Behavior).Ok, Is.EqualTo(new Event[]
        {
            PongEvent.Expect(Payload.Text("ping payload")),
            MessageEvent.Expect(Payload.Text("fragment1fragment2"), false),
        }));
    }

    [Test]
    public void Case5_19PausesBetweenItsTwoPartsAndArmsTheTimerAfterTheSecond()
    {
        var steps = Find("5.19").Script.Select(s => s switch
        {
            SendFrame send => Describe([send.Frame])[0],
            Pause pause => $"pause {pause.Duration.TotalSeconds} {pause.Tag ?? "untagged"}",
            ArmCloseAfter close => $"close after {close.After.TotalSeconds}",
            _ => s.Describe(),
        });

        Assert.That(steps, Is.EqualTo(new[]
        {
            "TEXT 0 fragment1", "CONT 0 fragment2", "PING 1 pongme 1!",
            "pause 1 untagged",
            "CONT 0 fragment3", "CONT 0 fragment4", "PING 1 pongme 2!", "CONT 1 fragment5",
            "close after 1",
        }));
        Assert.That(((ExpectEvents)Find("5.19").Behavior).Ok, Is.EqualTo(new Event[]
        {
            PongEvent.Expect(Payload.Text("pongme 1!")),
            PongEvent.Expect(Payload.Text("pongme 2!")),
            MessageEvent.Expect(Payload.Text("fragment1fragment2fragment3fragment4fragment5"), false),
        }));
    }

    [Test]
    public void Case10_1_1AutoFragmentsIntoFiftyOneFrames()
    {
        var @case = Find("10.1.1");
        var frames = @case.Script.OfType<SendMessage>().Single().Frames().ToArray();

        Assert.That(frames, Has.Length.EqualTo(51));
        Assert.That(frames[0].Opcode, Is.EqualTo(Opcode.Text));
        Assert.That(frames[1..].Select(f => f.Opcode), Is.All.EqualTo(Opcode.Continuation));
        Assert.That(frames[..50].Select(f => (f.Payload.Length, f.Fin)), Is.All.EqualTo((1300L, false)));
        Assert.That((frames[50].Payload.Length, frames[50].Fin), Is.EqualTo((536L, true)));
        Assert.That(frames.Sum(f => f.Payload.Length), Is.EqualTo(65536));
        Assert.That(@case.ExpectedSentFrames, Is.EquivalentTo(frames.GroupBy(f => f.Opcode).ToDictionary(g => g.Key, g => g.Count())));
        Assert.That(@case.ExpectedSentFrames![Opcode.Continuation], Is.EqualTo(50));
    }

    [Test]
    public void UnmaskedFrameCasesMaskAgainstTheRole()
    {
        var cases = CaseCatalogue.All.Where(c => c.Id.Subcategory == "11.1").ToArray();

        Assert.That(cases, Has.Length.GreaterThanOrEqualTo(5));
        foreach (var @case in cases)
        {
            Assert.That(Frames(@case.Id.Text).Any(f => f.Masking == Masking.AgainstRole), Is.True, @case.Id.Text);
            Assert.That(@case.Close, Is.SameAs(ExpectedClose.PeerFailsProtocolError), @case.Id.Text);
            Assert.That(@case.SubcategoryTitle, Is.EqualTo("Unmasked frames (the peer must fail the connection)"));
        }
    }

    [Test]
    public void Case11_1_5MasksOnlyTheContinuationAgainstTheRole() =>
        Assert.That(Frames("11.1.5").Select(f => (f.Opcode, f.Masking)), Is.EqualTo(new[] { (Opcode.Text, Masking.ByRole), (Opcode.Continuation, Masking.AgainstRole) }));

    [Test]
    public void UnusualKeyCasesAreMaskedByRoleWithAFixedKey()
    {
        var cases = CaseCatalogue.All.Where(c => c.Id.Subcategory == "11.2").ToArray();

        Assert.That(cases.Select(c => c.Id.Text), Is.EqualTo(new[] { "11.2.1", "11.2.2", "11.2.3" }));
        foreach (var @case in cases)
        {
            var frames = Frames(@case.Id.Text);
            Assert.That(frames.Select(f => f.Masking), Is.All.EqualTo(Masking.ByRole), @case.Id.Text);
            Assert.That(frames.Select(f => f.MaskKey), Is.All.Not.Null, @case.Id.Text);
            Assert.That(@case.Close, Is.SameAs(ExpectedClose.TesterCloses), @case.Id.Text);
            Assert.That(@case.SubcategoryTitle, Is.EqualTo("Unusual but legal masking keys"));
        }

        Assert.That(SingleFrame("11.2.1").MaskKey, Is.EqualTo(new byte[4]));
        Assert.That(Frames("11.2.2").Select(f => Convert.ToHexString(f.MaskKey!)).Distinct(), Is.EqualTo(new[] { "37FA213D" }));
        Assert.That(Describe(Frames("11.2.2")), Is.EqualTo(new[] { "TEXT 0 fragment1", "CONT 0 fragment2", "PING 1 ping payload", "CONT 1 fragment3" }));
    }

    private static Case Find(string id) => CaseCatalogue.Find(id) ?? throw new AssertionException($"case {id} is missing");

    private static Frame[] Frames(string id) => [.. Find(id).Script.OfType<SendFrame>().Select(s => s.Frame)];

    private static Frame SingleFrame(string id) => Frames(id).Single();

    private static string[] Describe(IEnumerable<Frame> frames) =>
        [.. frames.Select(f => $"{Opcode.Name(f.Opcode)} {(f.Fin ? 1 : 0)} {Encoding.UTF8.GetString(f.Payload.ToArray())}")];
}
