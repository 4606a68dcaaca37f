using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>
/// Category 7: the closing handshake started by the tester (RFC 6455 §5.5.1, §7). As in Autobahn,
/// every close below goes through the tester's close API, so the tester is always the initiator;
/// only 7.1.2's second close is a raw frame.
/// </summary>
internal static class Closing
{
    private static readonly ushort[] ValidCodes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
    private static readonly ushort[] InvalidCodes = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];

    private const CaseFlags WrongCode = CaseFlags.WrongCodeFailsBehavior;
    private const CaseFlags WrongCodeQuiet = CaseFlags.WrongCodeFailsBehavior | CaseFlags.NoAutoClose;
    private const CaseFlags Informational = CaseFlags.NoAutoClose | CaseFlags.Informational;

    public static IEnumerable<Case> Build() => Basic().Concat(PayloadLength()).Concat(PayloadValue()).Concat(Codes()).Concat(InformationalCodes());

    private static IEnumerable<Case> Basic()
    {
        const string Title = "Basic close behavior (fuzzer initiated)";
        const string Closed = "RFC 6455 §5.5.1";
        var hello = Payload.Text("Hello World!");
        var normal = Clean(CloseCodes.Normal);

        yield return Make("7.1.1", Title, "Send the text message 'Hello World!'; once it is echoed the tester closes normally.",
                "The message is echoed, then a clean close with code 1000.", "RFC 6455 §5.5.1, §7.1.2", normal, WrongCode, Send(Frame.Text("Hello World!")))
            with { Behavior = new ExpectEvents([Echo(hello)]) };
        yield return Make("7.1.2", Title, "Close normally (1000), then send a second close frame with an empty payload.",
            "The second close is ignored; a clean close with code 1000.", Closed, normal, WrongCodeQuiet, Close(CloseCodes.Normal), Send(new Frame(Opcode.Close, Payload.Empty)));
        yield return Make("7.1.3", Title, "Close normally (1000), then send a ping.",
            "No pong after the close; a clean close with code 1000.", Closed, normal, WrongCodeQuiet, Close(CloseCodes.Normal), Send(Frame.Ping()));
        yield return Make("7.1.4", Title, "Close normally (1000), then send the text message 'Hello World!'.",
            "The message after the close is not echoed; a clean close with code 1000.", Closed, normal, WrongCodeQuiet, Close(CloseCodes.Normal), Send(Frame.Text("Hello World!")));
        yield return Make("7.1.5", Title, "Send the first frame 'fragment1' of a fragmented text message, close normally (1000), then send the final frame 'fragment2'.",
            "The message completed after the close is not echoed; a clean close with code 1000.", Closed, normal, WrongCodeQuiet,
            Send(Frame.Text("fragment1", fin: false)), Close(CloseCodes.Normal), Send(Frame.Continuation("fragment2")));
        yield return Make("7.1.6", Title, "Send a 256 KiB text message, the text message 'Hello World!', a normal close (1000) and a ping, back to back.",
                "Informational: whether the small message was echoed before the close was processed. A clean close with code 1000.",
                "RFC 6455 §5.5.1", normal, Informational,
                Send(new Frame(Opcode.Text, Payload.Repeat("BAsd7&jh23", 256 * 1024))), Send(Frame.Text("Hello World!")), Close(CloseCodes.Normal), Send(Frame.Ping()))
            with { Behavior = new ExpectEvents([Echo(hello)], []), Requirement = Requirement.Informational };
    }

    private static IEnumerable<Case> PayloadLength()
    {
        const string Title = "Close frame structure: payload length (fuzzer initiated)";
        const string Rfc = "RFC 6455 §5.5.1";
        var normal = Clean(CloseCodes.Normal);
        var refused = Refused(CloseCodes.ProtocolError);

        yield return Make("7.3.1", Title, "Close with an empty payload (no code).", "A clean close with code 1000 or no code.", Rfc, normal, WrongCodeQuiet, Close());
        yield return Make("7.3.2", Title, "Close with a 1-octet payload 'a' (illegal: a body must start with a 2-octet code).",
            "The peer fails the connection (1002, or a TCP drop).", Rfc, refused, WrongCodeQuiet, new StartCloseRaw(Payload.Text("a")));
        yield return Make("7.3.3", Title, "Close with code 1000 and no reason.", "A clean close with code 1000.", Rfc, normal, WrongCodeQuiet, Close(CloseCodes.Normal));
        yield return Make("7.3.4", Title, "Close with code 1000 and the reason 'Hello World!'.", "A clean close with code 1000.", Rfc, normal, WrongCodeQuiet,
            Close(CloseCodes.Normal, Payload.Text("Hello World!")));
        yield return Make("7.3.5", Title, "Close with code 1000 and a reason of 123 × '*' (a payload of exactly 125 octets).", "A clean close with code 1000.", Rfc, normal, WrongCodeQuiet,
            Close(CloseCodes.Normal, Payload.Repeat((byte)'*', 123)));
        yield return Make("7.3.6", Title, "Close with code 1000 and a reason of 124 × '*' (a payload of 126 octets: illegal, control frames carry at most 125).",
            "The peer fails the connection (1002, or a TCP drop).", "RFC 6455 §5.5, §5.5.1", refused, WrongCodeQuiet,
            Close(CloseCodes.Normal, Payload.Repeat((byte)'*', 124)));
    }

    private static IEnumerable<Case> PayloadValue()
    {
        yield return Make("7.5.1", "Close frame structure: payload value (fuzzer initiated)",
            $"Close with code 1000 and a 20-octet reason that is not valid UTF-8: 0x{Convert.ToHexStringLower(Utf8.Bad20.ToArray())}.",
            "The peer fails the connection (1002 or 1007, or a TCP drop).", "RFC 6455 §5.5.1, §8.1",
            Refused(CloseCodes.ProtocolError, CloseCodes.InvalidPayload), WrongCodeQuiet, Close(CloseCodes.Normal, Utf8.Bad20));
    }

    private static IEnumerable<Case> Codes()
    {
        for (int n = 1; n <= ValidCodes.Length; n++)
        {
            ushort code = ValidCodes[n - 1];
            yield return Make($"7.7.{n}", "Close frame structure: valid close codes (fuzzer initiated)", $"Close with the valid code {code} ({CloseCodes.Describe(code)}) and no reason.",
                $"A clean close with code 1000 or {code}.", code < 3000 ? "RFC 6455 §5.5.1, §7.4.1" : "RFC 6455 §5.5.1, §7.4.2",
                Clean(CloseCodes.Normal, code), WrongCode, Close(code));
        }

        for (int n = 1; n <= InvalidCodes.Length; n++)
        {
            ushort code = InvalidCodes[n - 1];

            // SHOULD: the RFC defines the code ranges but never says in so many words that a receiver must reject the others.
            yield return Make($"7.9.{n}", "Close frame structure: invalid close codes (fuzzer initiated)", $"Close with the invalid code {code} and no reason.",
                    "The peer fails the connection (1002, or a TCP drop).", code is >= 1004 and <= 1006 ? "RFC 6455 §7.4.1" : "RFC 6455 §7.4.2",
                    Refused(CloseCodes.ProtocolError), WrongCode, Close(code))
                with { Requirement = Requirement.Should };
        }
    }

    private static IEnumerable<Case> InformationalCodes()
    {
        ushort[] codes = [5000, 65535];
        for (int n = 1; n <= codes.Length; n++)
        {
            ushort code = codes[n - 1];
            yield return Make($"7.13.{n}", "Informational close information (fuzzer initiated)", $"Close with the code {code}, outside every range RFC 6455 defines, and no reason.",
                    "Informational: how the peer answers.", "RFC 6455 §7.4.2",
                    new ExpectedClose(true, [CloseCodes.Normal, code, CloseCodes.ProtocolError], RequireClean: false), Informational, Close(code))
                with { Requirement = Requirement.Informational };
        }
    }

    private static ExpectedClose Clean(params int[] codes) => new(true, codes, RequireClean: true);

    /// <summary>The tester initiates with an illegal close; the peer is expected to answer with a failure code, cleanly or not.</summary>
    private static ExpectedClose Refused(params int[] codes) => new(true, codes, RequireClean: false);

    private static Case Make(string id, string title, string description, string expectation, string rfc, ExpectedClose close, CaseFlags flags, params Step[] sends) => new()
    {
        Id = id,
        SubcategoryTitle = title,
        Description = description,
        Expectation = expectation,
        RfcSection = rfc,
        Script = [.. sends, Kill(1)],
        Behavior = ExpectEvents.Nothing,
        Close = close,
        Flags = flags,
    };
}
