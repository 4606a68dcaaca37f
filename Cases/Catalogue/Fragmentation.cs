using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>Category 5: fragmented messages, control frames between fragments, and broken fragment sequences (RFC 6455 §5.4).</summary>
internal static class Fragmentation
{
    private const string Rule = "RFC 6455 §5.4";

    private static readonly (Writing Writing, string How)[] Modes =
    [
        (Writing.Whole, ""),
        (Writing.FramePerWrite, ", one frame per write"),
        (Writing.Chop(1), ", every frame written octet by octet"),
    ];

    private static readonly Payload NonContinuation = Payload.Text("non-continuation payload");

    private static readonly Payload HelloWorld = Payload.Text("Hello, world!");

    private static readonly Payload PingPayload = Payload.Text("ping payload");

    public static IEnumerable<Case> Build()
    {
        yield return FragmentedControl("5.1", Opcode.Ping, "ping");
        yield return FragmentedControl("5.2", Opcode.Pong, "pong");

        for (int m = 0; m < Modes.Length; m++)
        {
            var (writing, how) = Modes[m];
            yield return Reassembled($"5.{3 + m}", writing, $"Send a text message in 2 fragments{how}.", [Text(1, fin: false), Cont(2)], []);
        }

        for (int m = 0; m < Modes.Length; m++)
        {
            var (writing, how) = Modes[m];
            yield return Reassembled($"5.{6 + m}", writing, $"Send a text message in 2 fragments with a ping carrying a payload between them{how}.",
                [Text(1, fin: false), Frame.Ping(PingPayload), Cont(2)], [PongOf(PingPayload)]);
        }

        for (int m = 0; m < Modes.Length; m++)
        {
            var (writing, how) = Modes[m];
            yield return Fails($"5.{9 + m}", writing, $"Send a continuation frame with FIN = 1 when there is no message to continue, then a small text message{how}.",
                [new Frame(Opcode.Continuation, NonContinuation), new Frame(Opcode.Text, HelloWorld)]);
        }

        for (int m = 0; m < Modes.Length; m++)
        {
            var (writing, how) = Modes[m];
            yield return Fails($"5.{12 + m}", writing, $"Send a continuation frame with FIN = 0 when there is no message to continue, then a small text message{how}.",
                [new Frame(Opcode.Continuation, NonContinuation, Fin: false), new Frame(Opcode.Text, HelloWorld)]);
        }

        yield return new Case
        {
            Id = "5.15",
            Description = "Send a text message in 2 fragments, then a continuation frame with FIN = 0 that has nothing to continue, then a text frame with FIN = 1.",
            Expectation = "The first message is echoed, then the peer fails the connection (1002, protocol error). Failing before echoing the first message is NON-STRICT.",
            RfcSection = Rule,
            Script = [.. Sends(Writing.Whole, Text(1, fin: false), Cont(2), Cont(3, fin: false), Text(4)), Kill(1)],
            Behavior = new ExpectEvents([EchoText("fragment1fragment2")], NonStrict: []),
            Close = ExpectedClose.PeerFailsProtocolError,
        };

        Frame[] broken16 = [Cont(1, fin: false), Text(2, fin: false), Cont(3)];
        yield return Fails("5.16", Writing.Whole, "Twice: a continuation frame with FIN = 0 that has nothing to continue, a text frame with FIN = 0, a continuation frame with FIN = 1.", [.. broken16, .. broken16]);

        Frame[] broken17 = [Cont(1), Text(2, fin: false), Cont(3)];
        yield return Fails("5.17", Writing.Whole, "Twice: a continuation frame with FIN = 1 that has nothing to continue, a text frame with FIN = 0, a continuation frame with FIN = 1.", [.. broken17, .. broken17]);

        yield return Fails("5.18", Writing.Whole, "Send a text message in 2 fragments, both with the text opcode (the second one should be a continuation frame).", [Text(1, fin: false), Text(2)]);

        yield return WithPause("5.19", Writing.Whole, "");
        yield return WithPause("5.20", Writing.FramePerWrite, ", one frame per write");
    }

    private static Frame Text(int k, bool fin = true) => new(Opcode.Text, Payload.Text($"fragment{k}"), fin);

    private static Frame Cont(int k, bool fin = true) => new(Opcode.Continuation, Payload.Text($"fragment{k}"), fin);

    private static IEnumerable<Step> Sends(Writing writing, params Frame[] frames) => frames.Select(f => Send(f, writing));

    private static Case FragmentedControl(string id, byte opcode, string name) => new()
    {
        Id = id,
        Description = $"Send a {name} in 2 fragments: a {name} frame with FIN = 0 and the payload \"fragment1\", then a continuation frame with \"fragment2\".",
        Expectation = "The peer fails the connection at once (1002, protocol error): control frames must not be fragmented.",
        RfcSection = "RFC 6455 §5.4, §5.5",
        Script = [.. Sends(Writing.Whole, new Frame(opcode, Payload.Text("fragment1"), Fin: false), Cont(2)), Kill(1)],
        Behavior = ExpectEvents.Nothing,
        Close = ExpectedClose.PeerFailsProtocolError,
    };

    private static Case Reassembled(string id, Writing writing, string description, Frame[] frames, Event[] pongs) => new()
    {
        Id = id,
        Description = description,
        Expectation = (pongs.Length > 0 ? "A pong for the ping, then the" : "The") + " message echoed as one text message \"fragment1fragment2\". Clean close with normal code.",
        RfcSection = Rule,
        Script = [.. Sends(writing, frames), CloseAfter(1)],
        Behavior = new ExpectEvents([.. pongs, EchoText("fragment1fragment2")]),
        Close = ExpectedClose.TesterCloses,
    };

    private static Case Fails(string id, Writing writing, string description, Frame[] frames) => new()
    {
        Id = id,
        Description = description,
        Expectation = "The peer fails the connection at once (1002, protocol error): the fragment sequence is invalid. Nothing is echoed.",
        RfcSection = Rule,
        Script = [.. Sends(writing, frames), Kill(1)],
        Behavior = ExpectEvents.Nothing,
        Close = ExpectedClose.PeerFailsProtocolError,
    };

    private static Case WithPause(string id, Writing writing, string how)
    {
        var ping1 = Payload.Text("pongme 1!");
        var ping2 = Payload.Text("pongme 2!");
        return new Case
        {
            Id = id,
            Description = $"Send a text message in 5 fragments{how}: fragments 1 and 2, a ping \"pongme 1!\", a pause of 1 s, fragments 3 and 4, a ping \"pongme 2!\", fragment 5.",
            Expectation = "The pong for the first ping should arrive during the pause, before the message is complete; then the second pong, then the echo \"fragment1fragment2fragment3fragment4fragment5\". Like Autobahn, only the order of the three is checked. Clean close with normal code.",
            RfcSection = "RFC 6455 §5.4, §5.5.2",
            Script =
            [
                .. Sends(writing, Text(1, fin: false), Cont(2, fin: false), Frame.Ping(ping1)),
                Wait(1),
                .. Sends(writing, Cont(3, fin: false), Cont(4, fin: false), Frame.Ping(ping2), Cont(5)),
                CloseAfter(1),
            ],
            Behavior = new ExpectEvents([PongOf(ping1), PongOf(ping2), EchoText("fragment1fragment2fragment3fragment4fragment5")]),
            Close = ExpectedClose.TesterCloses,
        };
    }
}
