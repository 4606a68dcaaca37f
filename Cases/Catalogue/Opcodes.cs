using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>Category 4: frames with reserved opcodes must fail the connection (RFC 6455 §5.2).</summary>
internal static class Opcodes
{
    private static readonly Payload HelloWorld = Payload.Text("Hello, world!");

    private static readonly Payload ReservedPayload = Payload.Text("reserved opcode payload");

    public static IEnumerable<Case> Build()
    {
        foreach (var (sub, first, title) in new[] { (1, (byte)3, "Non-control Opcodes"), (2, (byte)11, "Control Opcodes") })
        {
            string kind = sub == 1 ? "non-control" : "control";
            yield return Single($"4.{sub}.1", title, first, Payload.Empty, $"Send a frame with the reserved {kind} opcode {first} and no payload.");
            yield return Single($"4.{sub}.2", title, (byte)(first + 1), ReservedPayload, $"Send a frame with the reserved {kind} opcode {first + 1} and the payload \"reserved opcode payload\".");
            yield return AfterValid($"4.{sub}.3", title, (byte)(first + 2), Payload.Empty, Writing.Whole, $"Send a small text message, then a frame with the reserved {kind} opcode {first + 2} and no payload, then a ping.");
            yield return AfterValid($"4.{sub}.4", title, (byte)(first + 3), HelloWorld, Writing.Whole, $"Send a small text message, then a frame with the reserved {kind} opcode {first + 3} and a payload, then a ping.");
            yield return AfterValid($"4.{sub}.5", title, (byte)(first + 4), HelloWorld, Writing.Chop(1), $"Send a small text message, then a frame with the reserved {kind} opcode {first + 4} and a payload, then a ping, every frame written octet by octet.");
        }
    }

    private static Case Single(string id, string title, byte opcode, Payload payload, string description) => new()
    {
        Id = id,
        SubcategoryTitle = title,
        Description = description,
        Expectation = "The peer fails the connection at once (1002, protocol error): an endpoint receiving an unknown opcode must fail the connection.",
        RfcSection = "RFC 6455 §5.2",
        Script = [Send(new Frame(opcode, payload)), Kill(1)],
        Behavior = ExpectEvents.Nothing,
        Close = ExpectedClose.PeerFailsProtocolError,
    };

    private static Case AfterValid(string id, string title, byte opcode, Payload payload, Writing writing, string description) => new()
    {
        Id = id,
        SubcategoryTitle = title,
        Description = description,
        Expectation = "The text message is echoed, then the peer fails the connection (1002, protocol error) on the reserved opcode, and no pong is sent. Failing before echoing the text message is NON-STRICT.",
        RfcSection = "RFC 6455 §5.2",
        Script =
        [
            Send(new Frame(Opcode.Text, HelloWorld), writing),
            Send(new Frame(opcode, payload), writing),
            Send(Frame.Ping(), writing),
            Kill(1),
        ],
        Behavior = new ExpectEvents([Echo(HelloWorld)], NonStrict: []),
        Close = ExpectedClose.PeerFailsProtocolError,
    };
}
