using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>
/// Category 9: big messages, many fragments, small writes and many round trips. Only the type and
/// length of each echo are checked. Big payloads are repeat() descriptions, never materialised here.
/// </summary>
internal static class Limits
{
    private const int KiB = 1024;
    private const int MiB = 1024 * 1024;
    private const string TextPattern = "BAsd7&jh23";
    private static readonly byte[] BinaryPattern = [0x00, 0xFE, 0x23, 0xFA, 0xF0];

    private static readonly long[] Sizes = [64 * KiB, 256 * KiB, MiB, 4 * MiB, 8 * MiB, 16 * MiB];
    private static readonly int[] TextWaits = [10, 10, 100, 100, 100, 100];
    private static readonly int[] BinaryWaits = [10, 10, 10, 10, 100, 100];
    private static readonly int[] FragmentSizes = [64, 256, KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB, 4 * MiB];
    private static readonly int[] ChopSizes = [64, 128, 256, 512, 1024, 2048];
    private static readonly int[] RoundTripSizes = [0, 16, 64, 256, 1024, 4096];
    private static readonly int[] RoundTripWaits = [60, 60, 60, 120, 240, 480];
    private const int RoundTrips = 1000;

    // Sizes beyond an endpoint's own limits may be refused (RFC 6455 §10.4, close 1009), so big messages are a MAY.
    private const string SizeRfc = "RFC 6455 §5.2, §10.4";

    public static IEnumerable<Case> Build() =>
        SingleFrames().Concat(Fragmented()).Concat(Chopped()).Concat(RoundTripCases());

    private static IEnumerable<Case> SingleFrames()
    {
        for (int i = 1; i <= Sizes.Length; i++)
        {
            long length = Sizes[i - 1];
            yield return Make($"9.1.{i}", "Text Message (increasing size)", $"Send a text message of {Size(length)} in one frame.",
                SizeRfc, TextWaits[i - 1], new ExpectEchoes(1, false, length), Send(new Frame(Opcode.Text, Payload.Repeat(TextPattern, length))));
        }

        for (int i = 1; i <= Sizes.Length; i++)
        {
            long length = Sizes[i - 1];
            string note = i == 5 ? " (Autobahn's description says 16M; it sends 8 MiB, as here.)" : "";
            yield return Make($"9.2.{i}", "Binary Message (increasing size)", $"Send a binary message of {Size(length)} in one frame.{note}",
                SizeRfc, BinaryWaits[i - 1], new ExpectEchoes(1, true, length), Send(new Frame(Opcode.Binary, Payload.Repeat(BinaryPattern, length))));
        }
    }

    private static IEnumerable<Case> Fragmented()
    {
        const long Length = 4 * MiB;
        const string Rfc = "RFC 6455 §5.4, §10.4";
        for (int i = 1; i <= FragmentSizes.Length; i++)
        {
            int size = FragmentSizes[i - 1];
            string note = i == 9 ? " (Autobahn's description says 8M; it sends 4 MiB, as here.)" : "";
            yield return Make($"9.3.{i}", "Fragmented Text Message (fixed size, increasing fragment size)",
                $"Send a text message of {Size(Length)} of '*' in fragments of {Size(size)}.{note}",
                Rfc, 100, new ExpectEchoes(1, false, Length), new SendMessage(Opcode.Text, Payload.Repeat((byte)'*', Length), size));
        }

        for (int i = 1; i <= FragmentSizes.Length; i++)
        {
            int size = FragmentSizes[i - 1];

            // Autobahn fills 9.4.2-9.4.9 with '*' (0x2A), unlike 9.4.1; content is not checked, but the octets stay faithful.
            byte octet = i == 1 ? (byte)0xFE : (byte)'*';
            string note = i == 1 ? "" : " (As in Autobahn, the octets are 0x2A, not 0xFE as in 9.4.1.)";
            yield return Make($"9.4.{i}", "Fragmented Binary Message (fixed size, increasing fragment size)",
                $"Send a binary message of {Size(Length)} of 0x{octet:x2} octets in fragments of {Size(size)}.{note}",
                Rfc, 100, new ExpectEchoes(1, true, Length), new SendMessage(Opcode.Binary, Payload.Repeat(octet, Length), size));
        }
    }

    private static IEnumerable<Case> Chopped()
    {
        const long Length = MiB;
        for (int i = 1; i <= ChopSizes.Length; i++)
        {
            int chop = ChopSizes[i - 1];
            yield return Make($"9.5.{i}", "Text Message (fixed size, increasing chop size)",
                $"Send a text message of {Size(Length)} in one frame, written in chops of {chop} octets.",
                SizeRfc, 1000, new ExpectEchoes(1, false, Length), Send(new Frame(Opcode.Text, Payload.Repeat(TextPattern, Length)), Writing.Chop(chop)));
        }

        for (int i = 1; i <= ChopSizes.Length; i++)
        {
            int chop = ChopSizes[i - 1];
            string note = i == 1 ? "" : " (Autobahn's expectation for this case says text; binary is sent and expected.)";
            yield return Make($"9.6.{i}", "Binary Text Message (fixed size, increasing chop size)",
                $"Send a binary message of {Size(Length)} in one frame, written in chops of {chop} octets.{note}",
                SizeRfc, 1000, new ExpectEchoes(1, true, Length), Send(new Frame(Opcode.Binary, Payload.Repeat(BinaryPattern, Length)), Writing.Chop(chop)));
        }
    }

    private static IEnumerable<Case> RoundTripCases()
    {
        foreach (var (sub, binary) in new[] { (7, false), (8, true) })
        {
            for (int i = 1; i <= RoundTripSizes.Length; i++)
            {
                int length = RoundTripSizes[i - 1];
                string kind = binary ? "binary" : "text";
                var payload = Payload.Repeat(binary ? (byte)0xFE : (byte)'*', length);
                yield return Make($"9.{sub}.{i}", $"{(binary ? "Binary" : "Text")} Message Roundtrip Time (fixed number, increasing size)",
                    $"Send {RoundTrips} {kind} messages of {length} octets one after another, each only after the previous one was echoed, to measure the round trip time.",
                    "RFC 6455 §5.6", RoundTripWaits[i - 1], new ExpectEchoes(RoundTrips, binary, length), RoundTrip(new Frame(binary ? Opcode.Binary : Opcode.Text, payload)))
                    with { Requirement = Requirement.Must };
            }
        }
    }

    /// <summary>Send, await the echo, 1000 times; the case timer is armed after the first send.</summary>
    private static Step[] RoundTrip(Frame frame)
    {
        var send = Send(frame);
        var next = new AwaitMessage();
        var script = new List<Step>(2 * RoundTrips);
        for (int i = 0; i < RoundTrips; i++)
        {
            script.Add(send);
            script.Add(next);
        }

        return [.. script];
    }

    /// <summary>The first step sends; C(wait) is armed right after it; the rest of the script follows.</summary>
    private static Case Make(string id, string title, string description, string rfc, int wait, ExpectEchoes behavior, params Step[] script) => new()
    {
        Id = id,
        SubcategoryTitle = title,
        Description = description,
        Expectation = (behavior.Count == 1
            ? $"Receive the echoed {(behavior.IsBinary ? "binary" : "text")} message of {Size(behavior.Length)} (type and length are checked, not content)"
            : $"Receive {behavior.Count} echoed {(behavior.IsBinary ? "binary" : "text")} messages of {behavior.Length} octets each (type and length are checked, not content)")
            + $" within {wait} s; then a clean close with normal code.",
        RfcSection = rfc,
        Requirement = Requirement.May,
        Script = [script[0], CloseAfter(wait), .. script[1..]],
        Behavior = behavior,
        Close = ExpectedClose.TesterCloses,
    };

    private static string Size(long octets) => octets switch
    {
        >= MiB when octets % MiB == 0 => $"{octets / MiB} MiB",
        >= KiB when octets % KiB == 0 => $"{octets / KiB} KiB",
        _ => $"{octets} octets",
    };
}
