using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>Category 1: single unfragmented data frames of every payload length encoding (RFC 6455 §5.2).</summary>
internal static class Framing
{
    private static readonly long[] Lengths = [0, 125, 126, 127, 128, 65535, 65536, 65536];

    public static IEnumerable<Case> Build()
    {
        foreach (var (sub, binary) in new[] { (1, false), (2, true) })
        {
            for (int i = 1; i <= Lengths.Length; i++)
            {
                long length = Lengths[i - 1];
                bool chopped = i == 8;
                var payload = binary ? Payload.Repeat(0xFE, length) : Payload.Repeat((byte)'*', length);
                string kind = binary ? "binary" : "text";
                string encoding = length switch { <= 125 => "7-bit length", <= 65535 => "16-bit extended length", _ => "64-bit extended length" };
                yield return new Case
                {
                    Id = $"1.{sub}.{i}",
                    SubcategoryTitle = binary ? "Binary Messages" : "Text Messages",
                    Description = $"Send {kind} message with payload of length {length} ({encoding})" + (chopped ? ", written in chops of 997 octets." : "."),
                    Expectation = $"Receive echo'ed {kind} message (with payload as sent). Clean close with normal code.",
                    RfcSection = "RFC 6455 §5.2, §5.6",
                    Script = [Send(new Frame(binary ? Opcode.Binary : Opcode.Text, payload), chopped ? Writing.Chop(997) : Writing.Whole), Kill(i <= 5 ? 1 : 10)],
                    Behavior = new ExpectEvents([Echo(payload, binary)]),
                    Close = ExpectedClose.TesterCloses,
                };
            }
        }
    }
}
