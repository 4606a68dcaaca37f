using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>Category 3: non-zero RSV bits without a negotiated extension must fail the connection (RFC 6455 §5.2).</summary>
internal static class ReservedBits
{
    private const string RsvRule = "RFC 6455 §5.2";

    private const string FailExpectation = "The peer fails the connection at once (1002, protocol error): RSV bits must be 0 unless an extension defining them was negotiated.";

    private static readonly Payload HelloWorld = Payload.Text("Hello, world!");

    public static IEnumerable<Case> Build()
    {
        yield return Single("3.1", new Frame(Opcode.Text, HelloWorld, Rsv: 1), "Send a small text message with RSV = 1 (RSV3).");
        yield return AfterValid("3.2", 2, Writing.Whole, "Send a small text message, then the same message with RSV = 2 (RSV2), then a ping.");
        yield return AfterValid("3.3", 3, Writing.FramePerWrite, "Send a small text message, then the same message with RSV = 3 (RSV2 and RSV3), then a ping, one frame per write.");
        yield return AfterValid("3.4", 4, Writing.Chop(1), "Send a small text message, then the same message with RSV = 4 (RSV1), then a ping, written octet by octet.");
        yield return Single("3.5", new Frame(Opcode.Binary, Payload.Hex("00fffefdfcfb00ff"), Rsv: 5), "Send a small binary message with RSV = 5 (RSV1 and RSV3).");
        yield return Single("3.6", new Frame(Opcode.Binary, HelloWorld, Rsv: 6), "Send a small binary message with RSV = 6 (RSV1 and RSV2). Autobahn's description calls this a ping, but it sends a binary frame (opcode 2); so do we.");
        yield return Single("3.7", new Frame(Opcode.Close, Payload.Empty, Rsv: 7), "Send a close frame without payload with RSV = 7 (all three bits).");
    }

    private static Case Single(string id, Frame frame, string description) => new()
    {
        Id = id,
        Description = description,
        Expectation = FailExpectation,
        RfcSection = RsvRule,
        Script = [Send(frame), Kill(1)],
        Behavior = ExpectEvents.Nothing,
        Close = ExpectedClose.PeerFailsProtocolError,
    };

    private static Case AfterValid(string id, byte rsv, Writing writing, string description) => new()
    {
        Id = id,
        Description = description,
        Expectation = "The first message is echoed, then the peer fails the connection (1002, protocol error) on the RSV bits, and no pong is sent. Failing before echoing the first message is NON-STRICT.",
        RfcSection = RsvRule,
        Script =
        [
            Send(new Frame(Opcode.Text, HelloWorld), writing),
            Send(new Frame(Opcode.Text, HelloWorld, Rsv: rsv), writing),
            Send(Frame.Ping(), writing),
            Kill(1),
        ],
        Behavior = new ExpectEvents([Echo(HelloWorld)], NonStrict: []),
        Close = ExpectedClose.PeerFailsProtocolError,
    };
}
