using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>Category 10: a large message cut by the tester's own auto-fragmentation (RFC 6455 §5.4).</summary>
internal static class Misc
{
    public static IEnumerable<Case> Build()
    {
        var payload = Payload.Repeat((byte)'*', 65536);
        yield return new Case
        {
            Id = "10.1.1",
            SubcategoryTitle = "Auto-Fragmentation",
            Description = "Send a text message of 65536 octets, auto-fragmented at 1300 octets: a text frame and 49 continuation frames of 1300 octets, then a final continuation frame of 536 octets (51 frames).",
            Expectation = "The whole message echoed as one text message. Clean close with normal code. The tester also checks its own output: exactly 1 text frame and 50 continuation frames sent.",
            RfcSection = "RFC 6455 §5.4",
            Script = [new SendMessage(Opcode.Text, payload, FragmentSize: 1300), Kill(10)],
            Behavior = new ExpectEvents([Echo(payload)]),
            Close = ExpectedClose.TesterCloses,
            ExpectedSentFrames = new Dictionary<byte, int> { [Opcode.Continuation] = 50, [Opcode.Text] = 1 },
        };
    }
}
