using Conformance.Cases.Data;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>
/// Category 14 (ours): permessage-deflate rules Autobahn never checks (its §6.1 "not tested" list):
/// offers a server must decline, the window and context the peer agreed to, compressed forms every
/// receiver must read (the RFC's own examples), and frames or data a receiver must refuse. Each case
/// names its RFC 7692 section. Cases 14.2–14.5 are role-neutral: the tester offers (as client) or
/// accepts (as server) what the case needs; 14.1 is about offers, so it applies to servers only
/// (<see cref="PeerRoles.Server"/>), as is 14.6, about what a server must repeat when it accepts an offer.
/// </summary>
internal static class CompressionChecks
{
    private const string Pmd = PerMessageDeflate.Name;
    private static readonly Payload Hello = Payload.Text("Hello");
    private static readonly Payload HelloWorld = Payload.Text("Hello, world!");

    public static IEnumerable<Case> Build() =>
        Offers().Concat(Windows()).Concat(Context()).Concat(Readable()).Concat(Refused()).Concat(Repeats());

    // 14.1 ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> Offers()
    {
        const string Title = "Offers a server must decline (servers only)";
        (string Offer, string Why, string Rfc)[] offers =
        [
            ($"{Pmd}; x_wsconf_unknown", "an unknown parameter", "RFC 7692 §7"),
            ($"{Pmd}; server_no_context_takeover; server_no_context_takeover", "a parameter twice", "RFC 7692 §7"),
            ($"{Pmd}; server_max_window_bits=16", "server_max_window_bits=16, above 15", "RFC 7692 §7.1.2.1"),
            ($"{Pmd}; server_max_window_bits=7", "server_max_window_bits=7, below 8", "RFC 7692 §7.1.2.1"),
            ($"{Pmd}; server_max_window_bits", "server_max_window_bits without a value", "RFC 7692 §7.1.2.1"),
            ($"{Pmd}; server_max_window_bits=09", "server_max_window_bits=09, a leading zero", "RFC 7692 §7.1.2.1"),
            ($"{Pmd}; client_max_window_bits=16", "client_max_window_bits=16, above 15", "RFC 7692 §7.1.2.2"),
            ($"{Pmd}; client_no_context_takeover=1", "client_no_context_takeover with a value", "RFC 7692 §7.1.1.2"),
        ];
        int i = 1;
        foreach (var (offer, why, rfc) in offers)
        {
            var @case = DeclineCase($"14.1.{i++}", Title, [offer], $"Offer '{offer}': {why}.", rfc);
            if (offer.EndsWith("=09", StringComparison.Ordinal))
            {
                // §7.1.2.1's prose says "without leading zeroes"; its ABNF (1*DIGIT) allows them.
                @case = @case with
                {
                    Requirement = Requirement.Should,
                    Expectation = @case.Expectation + " Accepting the offer as 9 is NON-STRICT here: the prose of §7.1.2.1 forbids leading zeros, but its ABNF (1*DIGIT) allows them.",
                    Deflate = @case.Deflate! with { AcceptingIsNonStrict = "§7.1.2.1's prose forbids leading zeros in the value, though its ABNF 1*DIGIT allows them" },
                };
            }

            yield return @case;
        }

        yield return DeclineCase($"14.1.{i}", Title, [$"{Pmd}; server_max_window_bits=16", $"{Pmd}; client_max_window_bits"],
            $"Offer an invalid element ('{Pmd}; server_max_window_bits=16') and then a valid one ('{Pmd}; client_max_window_bits'). The server must decline the first; it may accept the second.",
            "RFC 7692 §5, §7");
    }

    private static Case DeclineCase(string id, string title, string[] offers, string description, string rfc) => new()
    {
        Id = id,
        SubcategoryTitle = title,
        Description = description + $" Then send the text message 'Hello, world!' uncompressed (RSV1 clear), which is legal with or without the extension (RFC 7692 §6).",
        Expectation = "The server declines the invalid offer (its response does not accept it; a legal acceptance of a valid offer is fine) and echoes the message; clean close with normal code. " +
                      "A response accepting the invalid offer fails the case. Refusing the whole opening handshake (an HTTP error) is NON-STRICT: §7 asks the server to decline the offer, not the connection.",
        RfcSection = rfc,
        Requirement = Requirement.Must,
        Script = [Send(new Frame(Opcode.Text, HelloWorld)), Kill(2)],
        Behavior = new ExpectEvents([Echo(HelloWorld)]),
        Close = ExpectedClose.TesterCloses,
        Deflate = new DeflateSetup { Offers = offers, Accept = null, WithoutAgreement = WithoutDeflate.PlayAnyway },
        Roles = PeerRoles.Server,
    };

    // 14.2 ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> Windows()
    {
        const string Title = "The window the peer compresses with";
        foreach (var (id, bits, block, pairs) in new[] { ("14.2.1", 9, 700, 6), ("14.2.2", 12, 5000, 3) })
        {
            var message = CompressionPayloads.RepeatedBlocks(block, pairs, 0x57494E00UL + (ulong)bits);
            yield return RoundTrips(id, Title,
                $"Ask the peer to compress with a window of 2^{bits} = {1 << bits} octets (as client: offer '{Pmd}; client_max_window_bits; server_max_window_bits={bits}'; as server: answer a client offer that includes " +
                $"client_max_window_bits with client_max_window_bits={bits}). Then send, 10 times and each after the previous echo, a compressed text message of {message.Length} octets in which every block of {block} random letters is repeated at once, " +
                $"so a compressor with a larger window would refer {block} octets back. Every back-reference in the peer's compressed echoes is checked against the agreed window, and against the data it had sent.",
                $"Every echo equals the message; no back-reference of the peer reaches further than {1 << bits} octets (zlib only notices some of these, so the tester decodes the peer's DEFLATE data itself); clean close. " +
                "UNIMPLEMENTED when the extension, or the window, is not agreed.",
                "RFC 7692 §7.1.2", message, 10,
                new DeflateSetup
                {
                    Offers = [$"{Pmd}; {PerMessageDeflate.ClientMaxWindowBits}; {PerMessageDeflate.ServerMaxWindowBits}={bits}"],
                    Accept = AcceptRule.Of(new AcceptTerms(false, bits)),
                    InspectPeer = true,
                });
        }
    }

    // 14.3 ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> Context()
    {
        var message = CompressionPayloads.RepeatedBlocks(1024, 2, 0x43545800UL);
        yield return RoundTrips("14.3.1", "Context the peer agreed not to keep",
            $"Ask the peer not to keep its LZ77 context between messages (as client: offer '{Pmd}; server_no_context_takeover'; as server: answer with client_no_context_takeover). " +
            $"Then send the same compressed text message of {message.Length} octets 5 times, each after the previous echo: a peer that kept its context would compress each echo as a reference to the previous one. " +
            "Every compressed echo is decoded from a fresh context: no back-reference may reach before the message start.",
            "Every echo equals the message and no compressed echo refers to an earlier message; clean close. UNIMPLEMENTED when no context takeover is not agreed.",
            "RFC 7692 §7.1.1", message, 5,
            new DeflateSetup
            {
                Offers = [$"{Pmd}; {PerMessageDeflate.ServerNoContextTakeover}"],
                Accept = AcceptRule.Of(new AcceptTerms(true, 0)),
                InspectPeer = true,
            });
    }

    // 14.4 ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> Readable()
    {
        const string Title = "Compressed forms the peer must read";
        var setup = DeflateSetup.Default;
        yield return Readable("14.4.1", Title, "Send 'Hello' compressed in one frame, the RFC's example: TEXT RSV1 f2 48 cd c9 c9 07 00.", "RFC 7692 §7.2.3.1",
            [Send(Compressed(Opcode.Text, "f248cdc9c90700"))], Hello, setup);
        yield return Readable("14.4.2", Title, "Send 'Hello' compressed in two fragments, the RFC's example: TEXT RSV1 fin=0 f2 48 cd, then CONT fin=1 c9 c9 07 00 (RSV1 on the first frame only).", "RFC 7692 §7.2.3.1",
            [Send(Compressed(Opcode.Text, "f248cd", fin: false)), Send(new Frame(Opcode.Continuation, Payload.Hex("c9c90700")))], Hello, setup);
        yield return Readable("14.4.3", Title, "Send 'Hello' in a DEFLATE block with no compression (a stored block), the RFC's example: 00 05 00 fa ff 48 65 6c 6c 6f 00.", "RFC 7692 §7.2.3.3",
            [Send(Compressed(Opcode.Text, "000500faff48656c6c6f00"))], Hello, setup);
        yield return Readable("14.4.4", Title, "Send 'Hello' in a DEFLATE block with BFINAL set, the RFC's example: f3 48 cd c9 c9 07 00.", "RFC 7692 §7.2.3.4",
            [Send(Compressed(Opcode.Text, "f348cdc9c90700"))], Hello, setup);
        yield return Readable("14.4.5", Title, "Send 'Hello' in two DEFLATE blocks, the RFC's example: f2 48 05 00 00 00 ff ff ca c9 c9 07 00.", "RFC 7692 §7.2.3.5",
            [Send(Compressed(Opcode.Text, "f248050000 00ffffcac9c90700".Replace(" ", "", StringComparison.Ordinal)))], Hello, setup);
        yield return Readable("14.4.6", Title,
            "Send 'Hello' compressed with its whole sync flush (f2 48 cd c9 c9 07 00 00 00 ff ff) in a first frame (RSV1, fin=0), then an empty-fragment final frame whose payload is the single octet 00: the sender met the end of the data after the first frame.",
            "RFC 7692 §7.2.3.6",
            [Send(Compressed(Opcode.Text, "f248cdc9c907000000ffff", fin: false)), Send(new Frame(Opcode.Continuation, Payload.Hex("00")))], Hello, setup);
        yield return Readable("14.4.7", Title, "Send an empty text message compressed: TEXT RSV1 with the payload 00 (an empty DEFLATE block; the receiver's 00 00 ff ff completes it).", "RFC 7692 §7.2.3.6",
            [Send(Compressed(Opcode.Text, "00"))], Payload.Empty, setup);
        yield return Readable("14.4.8", Title, "With permessage-deflate agreed, send the text message 'Hello, world!' uncompressed (RSV1 clear).", "RFC 7692 §6",
            [Send(new Frame(Opcode.Text, HelloWorld))], HelloWorld, setup);

        var context = CompressionPayloads.RepeatedBlocks(1024, 1, 0x4B454550UL);
        yield return RoundTrips("14.4.9", Title,
            $"Offer '{Pmd}; client_max_window_bits' (as server: accept without client_no_context_takeover), so the tester may keep its context. Send the same compressed text message of {context.Length} octets 3 times, each after the previous echo; " +
            "from the second on the tester's compressor keeps its context and compresses the message as a reference to the previous one, which the peer must resolve.",
            "Every echo equals the message; clean close. UNIMPLEMENTED when the peer asks the tester not to keep its context.",
            "RFC 7692 §7.1.1, §7.2.3.2", context, 3,
            new DeflateSetup
            {
                Offers = [$"{Pmd}; {PerMessageDeflate.ClientMaxWindowBits}"],
                Accept = AcceptRule.Of(new AcceptTerms(false, 0)),
                TesterKeepsContext = true,
            });

        var far = CompressionPayloads.FarRepeat(32000, 30000, 2000, 0x46415200UL);
        yield return RoundTrips("14.4.10", Title,
            $"Send a compressed text message of {far.Length} octets whose first 2000 octets come again 30000 octets later: with the default window of 2^15 the tester's compressor refers 30000 octets back, which a receiver with a smaller window cannot resolve.",
            "The echo equals the message; clean close.", "RFC 7692 §7.1.2", far, 1, setup);

        var small = CompressionPayloads.RepeatedBlocks(512, 2, 0x534D4C00UL);
        yield return Readable("14.4.11", Title, $"Send a compressed text message of {small.Length} octets whose compressed payload is cut into frames of 1 octet each (RSV1 on the first only).", "RFC 7692 §6, RFC 6455 §5.4",
            [new SendCompressed(Opcode.Text, small, FragmentSize: 1)], small, setup);
    }

    // 14.5 ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> Refused()
    {
        const string Title = "Frames and data the peer must refuse";
        var setup = DeflateSetup.Default;
        var first = new SendCompressed(Opcode.Text, Hello);
        yield return Refusal("14.5.1", Title, "Send 'Hello' compressed, then a ping with RSV1 set.",
            "RFC 7692 §6", [first, Send(new Frame(Opcode.Ping, Payload.Text("ping"), Rsv: 4))], setup);
        yield return Refusal("14.5.2", Title, "Send 'Hello' compressed, then an unsolicited pong with RSV1 set.",
            "RFC 7692 §6", [first, Send(new Frame(Opcode.Pong, Payload.Text("pong"), Rsv: 4))], setup);
        yield return Refusal("14.5.3", Title, "Send 'Hello' compressed, then 'Hello' compressed in two fragments (f2 48 cd / c9 c9 07 00) with RSV1 set on the continuation frame too.",
            "RFC 7692 §6", [first, Send(Compressed(Opcode.Text, "f248cd", fin: false)), Send(new Frame(Opcode.Continuation, Payload.Hex("c9c90700"), Rsv: 4))], setup);
        yield return Refusal("14.5.4", Title,
            "Offer no extension (as server: decline every offer), send 'Hello, world!' uncompressed, then 'Hello' compressed with RSV1 set (valid DEFLATE data, f2 48 cd c9 c9 07 00): an endpoint that can inflate must still refuse RSV1 when nothing was negotiated.",
            "RFC 6455 §5.2, RFC 7692 §6", [Send(new Frame(Opcode.Text, HelloWorld)), Send(Compressed(Opcode.Text, "f248cdc9c90700"))],
            new DeflateSetup { Offers = [], Accept = AcceptRule.DeclineAll, WithoutAgreement = WithoutDeflate.PlayAnyway }, expect: HelloWorld);

        (string Id, string What, Payload Data)[] corrupt =
        [
            ("14.5.5", "a DEFLATE block of the reserved type 3 (06 00)", Payload.Hex("0600")),
            ("14.5.6", "a stored block whose length and its complement disagree (00 05 00 05 00 'Hello')", Payload.Hex("0005000500" + "48656c6c6f")),
            ("14.5.7", "a fixed-Huffman block that refers 100 octets back after 1 octet (distance too far back)", CompressionPayloads.DistanceTooFarBack()),
        ];
        foreach (var (id, what, data) in corrupt)
        {
            yield return new Case
            {
                Id = id,
                SubcategoryTitle = Title,
                Description = $"Send 'Hello' compressed, then a compressed text message (RSV1) holding {what}.",
                Expectation = "The peer echoes 'Hello', then fails the connection on the invalid data; not failing it fails the case. RFC 7692 names no close code: 1007 (data not consistent with the message) and 1002 (protocol error) are accepted, as is dropping TCP.",
                RfcSection = "RFC 7692 §7.2.2, RFC 6455 §7.1.7",
                Requirement = Requirement.Must,
                Script = [first, Send(new Frame(Opcode.Text, data, Rsv: 4)), Kill(2)],
                Behavior = new ExpectEvents([Echo(Hello)], NonStrict: []),
                Close = new ExpectedClose(false, [1007, 1002], false, WrongEndpointIsFatal: true),
                Deflate = setup,
            };
        }

        var invalidUtf8 = CompressionPayloads.Stored(Convert.FromHexString("cebae1bdb9cf83cebcceb5eda080656469746564"));
        yield return new Case
        {
            Id = "14.5.8",
            SubcategoryTitle = Title,
            Description = "Send a compressed text message (a stored DEFLATE block) whose decompressed octets are not valid UTF-8: κόσμε, then the surrogate ED A0 80, then 'edited' (as in 6.3.1).",
            Expectation = "The peer validates the decompressed text and fails the connection with 1007, or drops TCP.",
            RfcSection = "RFC 7692 §7.2.2, RFC 6455 §8.1",
            Requirement = Requirement.Must,
            Script = [Send(new Frame(Opcode.Text, invalidUtf8, Rsv: 4)), Kill(2)],
            Behavior = ExpectEvents.Nothing,
            Close = ExpectedClose.PeerFailsInvalidUtf8,
            Deflate = setup,
        };
    }

    // 14.6 ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> Repeats()
    {
        const string Title = "Parameters a server must repeat to accept an offer (servers only)";
        (string Id, string Parameter, string Rfc, string Words, bool Default)[] repeats =
        [
            ("14.6.1", PerMessageDeflate.ServerNoContextTakeover, "RFC 7692 §7.1.1.1", "\"A server accepts an extension negotiation offer that includes the \"server_no_context_takeover\" extension parameter by including the \"server_no_context_takeover\" extension parameter in the corresponding extension negotiation response to send back to the client.\"", false),
            ("14.6.2", $"{PerMessageDeflate.ServerMaxWindowBits}=10", "RFC 7692 §7.1.2.1", "\"A server accepts an extension negotiation offer with this parameter by including the \"server_max_window_bits\" extension parameter in the extension negotiation response to send back to the client with the same or smaller value as the offer.\"", false),
            ("14.6.3", $"{PerMessageDeflate.ServerMaxWindowBits}=15", "RFC 7692 §7.1.2.1", "\"A server accepts an extension negotiation offer with this parameter by including the \"server_max_window_bits\" extension parameter in the extension negotiation response to send back to the client with the same or smaller value as the offer.\"", true),
        ];
        foreach (var (id, parameter, rfc, words, isDefault) in repeats)
        {
            yield return new Case
            {
                Id = id,
                SubcategoryTitle = Title,
                Description = $"Offer '{Pmd}; {parameter}', then send 'Hello, world!' compressed. {rfc}: {words}",
                Expectation = $"The server declines the offer, or accepts it with {parameter.Split('=')[0]} in its response{(parameter.Contains('=', StringComparison.Ordinal) ? " (the same or a smaller value)" : "")}, and echoes the message; clean close. " +
                              (isDefault
                                  ? "Accepting without the parameter is NON-STRICT: the value left out is the default 15, so the response means what the offer asked for."
                                  : "Accepting without the parameter fails the case (the tester plays on what the response means: the server may keep its context and use a window of up to 15 bits)."),
                RfcSection = rfc,
                Requirement = Requirement.Must,
                Script = [new SendCompressed(Opcode.Text, HelloWorld), Kill(2)],
                Behavior = new ExpectEvents([Echo(HelloWorld)]),
                Close = ExpectedClose.TesterCloses,
                Deflate = new DeflateSetup { Offers = [$"{Pmd}; {parameter}"], Accept = null, OmittedRepeat = OmittedRepeat.Judge },
                Roles = PeerRoles.Server,
            };
        }
    }

    // Builders ---------------------------------------------------------------------------------------

    private static Frame Compressed(byte opcode, string hex, bool fin = true) => new(opcode, Payload.Hex(hex), fin, Rsv: 4);

    private static Case Readable(string id, string title, string description, string rfc, Step[] sends, Payload expected, DeflateSetup setup) => new()
    {
        Id = id,
        SubcategoryTitle = title,
        Description = description,
        Expectation = $"The peer decompresses the message and echoes it ({(expected.Length == 0 ? "an empty text message" : $"the text '{System.Text.Encoding.UTF8.GetString(expected.ToArray())}'")}); clean close with normal code. UNIMPLEMENTED when permessage-deflate is not agreed.",
        RfcSection = rfc,
        Requirement = Requirement.Must,
        Script = [.. sends, Kill(2)],
        Behavior = new ExpectEvents([Echo(expected)]),
        Close = ExpectedClose.TesterCloses,
        Deflate = setup,
    };

    private static Case RoundTrips(string id, string title, string description, string expectation, string rfc, Payload message, int count, DeflateSetup setup)
    {
        var script = new List<Step> { CloseAfter(10) };
        for (int i = 0; i < count; i++)
        {
            script.Add(new SendCompressed(Opcode.Text, message));
            script.Add(new AwaitMessage());
        }

        return new Case
        {
            Id = id,
            SubcategoryTitle = title,
            Description = description,
            Expectation = expectation,
            RfcSection = rfc,
            Requirement = Requirement.Must,
            Script = script,
            Behavior = new ExpectEvents(Enumerable.Repeat<Event>(Echo(message), count).ToArray()),
            Close = ExpectedClose.TesterCloses,
            Deflate = setup,
        };
    }

    private static Case Refusal(string id, string title, string description, string rfc, Step[] sends, DeflateSetup setup, Payload? expect = null) => new()
    {
        Id = id,
        SubcategoryTitle = title,
        Description = description,
        Expectation = $"The peer echoes '{System.Text.Encoding.UTF8.GetString((expect ?? Hello).ToArray())}', then fails the connection (1002, or drops TCP). Failing before the echo is NON-STRICT; not failing at all fails the case.",
        RfcSection = rfc,
        Requirement = Requirement.Must,
        Script = [.. sends, Kill(2)],
        Behavior = new ExpectEvents([Echo(expect ?? Hello)], NonStrict: []),
        Close = ExpectedClose.PeerFailsProtocolError with { WrongEndpointIsFatal = true },
        Deflate = setup,
    };
}
