using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>Category 2: pings must be answered with identical payload, unsolicited pongs ignored (RFC 6455 §5.5.2, §5.5.3).</summary>
internal static class PingPong
{
    private const string PongRule = "RFC 6455 §5.5.2, §5.5.3";

    private static readonly Payload UnsolicitedPong = Payload.Text("unsolicited pong payload");

    public static IEnumerable<Case> Build()
    {
        yield return Answered("2.1", Payload.Empty, "Send a ping without payload.");
        yield return Answered("2.2", Payload.Text("Hello, world!"), "Send a ping with a small text payload (\"Hello, world!\").");
        yield return Answered("2.3", Payload.Hex("00fffefdfcfb00ff"), "Send a ping with a small binary payload that is not UTF-8 (8 octets 00 ff fe fd fc fb 00 ff).");
        yield return Answered("2.4", Payload.Repeat(0xFE, 125), "Send a ping with a binary payload of 125 octets, the most a control frame may carry.");

        yield return new Case
        {
            Id = "2.5",
            Description = "Send a ping with a binary payload of 126 octets (16-bit extended length), one more than a control frame may carry.",
            Expectation = "The peer fails the connection at once (1002, protocol error): control frames carry at most 125 octets of payload. No pong is sent.",
            RfcSection = "RFC 6455 §5.5",
            Script = [Send(Frame.Ping(Payload.Repeat(0xFE, 126))), Kill(1)],
            Behavior = ExpectEvents.Nothing,
            Close = ExpectedClose.PeerFailsProtocolError,
        };

        yield return Answered("2.6", Payload.Repeat(0xFE, 125), "Send a ping with a binary payload of 125 octets, written octet by octet.", Writing.Chop(1), closeAfter: 2);
        yield return Unanswered("2.7", Payload.Empty, "Send an unsolicited pong without payload, then close with 1000.");
        yield return Unanswered("2.8", UnsolicitedPong, "Send an unsolicited pong with the payload \"unsolicited pong payload\", then close with 1000.");

        var ping = Payload.Text("ping payload");
        yield return new Case
        {
            Id = "2.9",
            Description = "Send an unsolicited pong with the payload \"unsolicited pong payload\", then a ping with the payload \"ping payload\".",
            Expectation = "Exactly one pong, carrying \"ping payload\"; nothing is sent for the unsolicited pong. Clean close with normal code.",
            RfcSection = PongRule,
            Script = [Send(Frame.Pong(UnsolicitedPong)), Send(Frame.Ping(ping)), CloseAfter(1)],
            Behavior = new ExpectEvents([PongOf(ping)]),
            Close = ExpectedClose.TesterCloses,
        };

        yield return Burst("2.10", Writing.Whole, "Send 10 pings back to back, with the payloads \"payload-0\" to \"payload-9\".");
        yield return Burst("2.11", Writing.Chop(1), "Send 10 pings with the payloads \"payload-0\" to \"payload-9\", each written octet by octet.");
    }

    private static Case Answered(string id, Payload payload, string description, Writing writing = default, double closeAfter = 1) => new()
    {
        Id = id,
        Description = description,
        Expectation = "A pong with exactly the ping's payload. Clean close with normal code.",
        RfcSection = PongRule,
        Script = [Send(Frame.Ping(payload), writing), CloseAfter(closeAfter)],
        Behavior = new ExpectEvents([PongOf(payload)]),
        Close = ExpectedClose.TesterCloses,
    };

    private static Case Unanswered(string id, Payload payload, string description) => new()
    {
        Id = id,
        Description = description + " The RFC says a response to an unsolicited pong is not expected; like Autobahn, any pong or message from the peer fails the case.",
        Expectation = "Nothing is received; the peer answers the close. Clean close with normal code.",
        RfcSection = "RFC 6455 §5.5.3, §5.5.1",
        Requirement = Requirement.Should,
        Script = [Send(Frame.Pong(payload)), Close(1000), CloseAfter(1)],
        Behavior = ExpectEvents.Nothing,
        Close = ExpectedClose.TesterCloses,
    };

    private static Case Burst(string id, Writing writing, string description)
    {
        var payloads = Enumerable.Range(0, 10).Select(i => Payload.Text($"payload-{i}")).ToArray();
        return new Case
        {
            Id = id,
            Description = description + " Autobahn requires a pong for every ping; RFC 6455 §5.5.3 lets an endpoint that has not yet answered earlier pings answer only the most recent one, so pongs for some of the pings, in order and ending with the last, are NON-STRICT here (Autobahn: FAILED). A peer that leaves the last ping unanswered fails.",
            Expectation = "10 pongs with the payloads of the 10 pings, in the same order (NON-STRICT: a subset of them in order that ends with the pong for \"payload-9\", RFC 6455 §5.5.3). Clean close with normal code.",
            RfcSection = PongRule,
            Requirement = Requirement.Should,
            Script = [.. payloads.Select(p => Send(Frame.Ping(p), writing)), CloseAfter(3)],
            Behavior = new ExpectPongs([.. payloads.Select(PongOf)]),
            Close = ExpectedClose.TesterCloses,
        };
    }
}
