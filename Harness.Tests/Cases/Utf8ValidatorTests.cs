using System.Buffers;
using System.Text;
using Conformance.Cases.Catalogue;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using NUnit.Framework;

namespace Conformance.Tests.Cases;

/// <summary>The validator against every category 6 payload, judged by the catalogue's own valid/invalid marks.</summary>
public class Utf8ValidatorTests
{
    private const int Never = -1;

    public static IEnumerable<TestCaseData> CategorySixPayloads() =>
        Catalogue.All.Where(c => c.Category == 6)
            .Select(c => new TestCaseData(MessageOctets(c), c.Close.ClosedByTester).SetArgDisplayNames(c.Id.Text));

    [TestCaseSource(nameof(CategorySixPayloads))]
    public void Whole_payload_matches_the_catalogue_mark(byte[] octets, bool valid) =>
        Assert.That(Utf8Validator.IsValid(octets), Is.EqualTo(valid));

    [TestCaseSource(nameof(CategorySixPayloads))]
    public void Fail_fast_index_follows_the_maximal_subpart_rule(byte[] octets, bool valid)
    {
        int expected = ReferenceFailIndex(octets);
        Assert.That(FailIndex(octets), Is.EqualTo(expected));
        if (valid)
        {
            Assert.That(expected, Is.EqualTo(Never));
        }
    }

    [TestCaseSource(nameof(CategorySixPayloads))]
    public void Every_split_into_two_chunks_fails_at_the_same_octet(byte[] octets, bool valid)
    {
        int failAt = FailIndex(octets);
        using var scope = Assert.EnterMultipleScope();
        for (int split = 0; split <= octets.Length; split++)
        {
            var validator = new Utf8Validator();
            bool first = validator.Feed(octets.AsSpan(0, split));
            bool second = validator.Feed(octets.AsSpan(split));
            bool failsInFirst = failAt != Never && failAt < split;
            Assert.That(first, Is.EqualTo(!failsInFirst), $"first chunk, split at {split}");
            Assert.That(second, Is.EqualTo(failAt == Never), $"second chunk, split at {split}");
            Assert.That(second && validator.IsAtBoundary, Is.EqualTo(valid), $"verdict, split at {split}");
        }
    }

    [TestCase("6.3.1", 12)] // BAD20: the 0xA0 after 0xED (a surrogate)
    [TestCase("6.4.3", 12)] // BAD21: the 0x90 after 0xF4 (beyond U+10FFFF)
    public void Bad_payloads_fail_at_octet_twelve(string id, int index)
    {
        var octets = MessageOctets(Catalogue.Find(id)!);
        Assert.That(FailIndex(octets), Is.EqualTo(index));

        var validator = new Utf8Validator();
        Assert.That(validator.Feed(octets.AsSpan(0, index)), Is.True);
        Assert.That(validator.Feed(octets.AsSpan(index, 1)), Is.False);
        Assert.That(validator.IsFailed, Is.True);
    }

    [TestCase("6.4.1")]
    [TestCase("6.4.2")]
    [TestCase("6.4.3")]
    [TestCase("6.4.4")]
    public void Fail_fast_cases_turn_invalid_in_their_second_part(string id)
    {
        var parts = Parts(Catalogue.Find(id)!);
        var validator = new Utf8Validator();
        Assert.That(parts, Has.Count.EqualTo(3));
        Assert.That(validator.Feed(parts[0]), Is.True, "part 1 is a valid prefix");
        Assert.That(validator.Feed(parts[1]), Is.False, "part 2 makes the stream invalid");
    }

    [Test]
    public void Non_characters_are_valid_utf8() =>
        Assert.That(Utf8Validator.IsValid(Convert.FromHexString("efbfbef48fbfbf")), Is.True);

    [Test]
    public void A_truncated_sequence_is_a_valid_prefix_but_not_a_whole_message()
    {
        var validator = new Utf8Validator();
        Assert.That(validator.Feed(Convert.FromHexString("cebae1bd")), Is.True);
        Assert.That(validator.IsAtBoundary, Is.False);
        Assert.That(Utf8Validator.IsValid(Convert.FromHexString("cebae1bd")), Is.False);
    }

    /// <summary>The index of the octet at which octet-by-octet feeding first fails, or <see cref="Never"/>.</summary>
    private static int FailIndex(byte[] octets)
    {
        var validator = new Utf8Validator();
        for (int i = 0; i < octets.Length; i++)
        {
            if (!validator.Feed(octets.AsSpan(i, 1)))
            {
                return i;
            }
        }

        return Never;
    }

    /// <summary>
    /// An independent oracle from .NET's decoder: an invalid sequence's maximal valid subpart is the
    /// prefix a fail-fast validator still accepts, so the failing octet is the one right after it
    /// (or the lead octet itself when no sequence can start with it).
    /// </summary>
    private static int ReferenceFailIndex(byte[] octets)
    {
        int at = 0;
        while (at < octets.Length)
        {
            var status = Rune.DecodeFromUtf8(octets.AsSpan(at), out _, out int consumed);
            switch (status)
            {
                case OperationStatus.Done:
                    at += consumed;
                    break;
                case OperationStatus.NeedMoreData:
                    return Never; // truncated at the end: not yet wrong, only incomplete
                default:
                    bool badLead = octets[at] is (>= 0x80 and <= 0xC1) or >= 0xF5;
                    return badLead ? at : at + consumed;
            }
        }

        return Never;
    }

    /// <summary>All octets of the text message a category 6 case sends.</summary>
    private static byte[] MessageOctets(Case @case) => [.. Parts(@case).SelectMany(p => p)];

    /// <summary>The message's payload pieces as the script sends them: frames, or the writes of a frame sent in parts.</summary>
    private static List<byte[]> Parts(Case @case)
    {
        var parts = new List<byte[]>();
        foreach (var step in @case.Script)
        {
            switch (step)
            {
                case SendFrame { Frame: var frame } when frame.Payload.Length > 0:
                    parts.Add(frame.Payload.ToArray());
                    break;
                case SendMessage message:
                    parts.Add(message.Payload.ToArray());
                    break;
                case SendFrameInParts inParts:
                    var octets = inParts.Frame.Payload.ToArray();
                    int offset = 0;
                    foreach (int length in inParts.PartLengths)
                    {
                        parts.Add(octets[offset..(offset + length)]);
                        offset += length;
                    }

                    break;
            }
        }

        return parts;
    }
}
