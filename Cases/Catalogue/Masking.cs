using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;
using FrameMasking = Conformance.Cases.Scripting.Masking;

namespace Conformance.Cases.Catalogue;

/// <summary>
/// Category 11 (ours, not in Autobahn): frames masked against the role must fail the connection
/// (RFC 6455 §5.1); unusual but legal masking keys must not (§5.3).
/// </summary>
internal static class Masking
{
    private const string Unmasked = "Unmasked frames (the peer must fail the connection)";
    private const string UnusualKeys = "Unusual but legal masking keys";
    private const string AgainstRole = "masked against the role (unmasked when the tester is the client, masked when it is the server)";
    private const string ServersOnly = " The keys are a client's choice, so the case applies to servers only: when a client is tested the tester plays the server, whose frames are never masked (§5.1).";

    private static readonly Payload HelloWorld = Payload.Text("Hello, world!");
    private static readonly Payload PingPayload = Payload.Text("ping payload");
    private static readonly byte[] ZeroKey = [0x00, 0x00, 0x00, 0x00];
    private static readonly byte[] FixedKey = [0x37, 0xfa, 0x21, 0x3d];

    public static IEnumerable<Case> Build()
    {
        yield return Fails("11.1.1", $"Send a text frame \"Hello, world!\" {AgainstRole}.", [Against(Frame.Text("Hello, world!"))]);
        yield return Fails("11.1.2", $"Send a ping with the payload \"ping payload\" {AgainstRole}. No pong may be sent.", [Against(Frame.Ping(PingPayload))]);
        yield return Fails("11.1.3", $"Send a close frame with code 1000 {AgainstRole}.", [Against(new Frame(Opcode.Close, Payload.Hex("03e8")))]);
        yield return Fails("11.1.4", $"Send a binary frame of 8 octets (00 ff fe fd fc fb 00 ff) {AgainstRole}.", [Against(Frame.Binary(Payload.Hex("00fffefdfcfb00ff")))]);
        yield return Fails("11.1.5", $"Send a text message in 2 fragments: the first masked as the role requires, the continuation frame {AgainstRole}.",
            [Frame.Text("fragment1", fin: false), Against(Frame.Continuation("fragment2"))]);

        yield return new Case
        {
            Id = "11.1.6",
            SubcategoryTitle = Unmasked,
            Description = $"Send a small text message masked as the role requires, then the same message {AgainstRole}, then a ping.",
            Expectation = "The first message is echoed, then the peer fails the connection (1002, protocol error) and no pong is sent. Failing before echoing the first message is NON-STRICT.",
            RfcSection = "RFC 6455 §5.1",
            Script = [Send(Frame.Text("Hello, world!")), Send(Against(Frame.Text("Hello, world!"))), Send(Frame.Ping()), Kill(1)],
            Behavior = new ExpectEvents([Echo(HelloWorld)], NonStrict: []),
            Close = ExpectedClose.PeerFailsProtocolError,
        };

        yield return Legal(
            "11.2.1",
            "Send a text frame \"Hello, world!\" masked with the all-zero key 00000000, so the masked octets equal the plain ones.",
            "The message echoed. Clean close with normal code.",
            [Send(Frame.Text("Hello, world!") with { MaskKey = ZeroKey }), Kill(1)],
            [Echo(HelloWorld)]);

        yield return Legal(
            "11.2.2",
            "Send a text message in 3 fragments with a ping \"ping payload\" before the last one, every frame masked with the same key 37fa213d.",
            "A pong for the ping, then the message echoed as \"fragment1fragment2fragment3\". Clean close with normal code.",
            [
                .. new[] { Frame.Text("fragment1", fin: false), Frame.Continuation("fragment2", fin: false), Frame.Ping(PingPayload), Frame.Continuation("fragment3") }
                    .Select(f => Send(f with { MaskKey = FixedKey })),
                CloseAfter(1),
            ],
            [PongOf(PingPayload), EchoText("fragment1fragment2fragment3")]);

        var binary = Payload.Repeat([0x00, 0xfe, 0x23, 0xfa, 0xf0], 300);
        yield return Legal(
            "11.2.3",
            "Send a binary message of 300 octets in 3 fragments of 100 octets, every frame masked with the all-zero key 00000000.",
            "The message echoed as one binary message. Clean close with normal code.",
            [
                Send(Frame.Binary(binary.Slice(0, 100), fin: false) with { MaskKey = ZeroKey }),
                Send(new Frame(Opcode.Continuation, binary.Slice(100, 100), Fin: false) { MaskKey = ZeroKey }),
                Send(new Frame(Opcode.Continuation, binary.Slice(200, 100)) { MaskKey = ZeroKey }),
                CloseAfter(1),
            ],
            [Echo(binary, binary: true)]);
    }

    private static Frame Against(Frame frame) => frame with { Masking = FrameMasking.AgainstRole };

    private static Case Fails(string id, string description, Frame[] frames) => new()
    {
        Id = id,
        SubcategoryTitle = Unmasked,
        Description = description,
        Expectation = "The peer fails the connection at once (1002, protocol error): a server must close the connection on an unmasked frame, a client on a masked one. Nothing is echoed.",
        RfcSection = "RFC 6455 §5.1, §5.3",
        Script = [.. frames.Select(f => Send(f)), Kill(1)],
        Behavior = ExpectEvents.Nothing,
        Close = ExpectedClose.PeerFailsProtocolError,
    };

    private static Case Legal(string id, string description, string expectation, Step[] script, Event[] expected) => new()
    {
        Id = id,
        SubcategoryTitle = UnusualKeys,
        Description = description + " §5.3 asks the sending client for a fresh, unpredictable key per frame, but gives the receiver no ground to refuse any 32-bit key." + ServersOnly,
        Expectation = expectation,
        RfcSection = "RFC 6455 §5.3",
        Requirement = Requirement.Should,
        Roles = PeerRoles.Server,
        Script = script,
        Behavior = new ExpectEvents(expected),
        Close = ExpectedClose.TesterCloses,
    };
}
