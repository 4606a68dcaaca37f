using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;
using T = Conformance.Cases.Scripting.HandshakeTokens;

namespace Conformance.Cases.Catalogue;

/// <summary>
/// Category 15 (ours): the opening handshake (RFC 6455 §4), which Autobahn never checks. The request (testing
/// a server) or the response (testing a client) is the case's first step, written octet for octet; what it
/// must come to is the case's <see cref="HandshakeRule"/>. 15.1–15.2 test servers, 15.3–15.4 test clients.
/// Every established connection is then checked with one echoed text message and a clean close.
/// </summary>
internal static partial class Handshake
{
    private const string CaseInsensitiveNames = "RFC 6455 §4.1: \"Please note that according to [RFC2616], all header field names in both HTTP requests and HTTP responses are case-insensitive.\"";
    private const string ServerMustRefuse = "RFC 6455 §4.2.1: \"If the server, while reading the handshake, finds that the client did not send a handshake that matches the description below ..., the server MUST stop processing the client's handshake and return an HTTP response with an appropriate error code (such as 400 Bad Request).\"";
    private const string VersionRule = "RFC 6455 §4.2.2: \"If this version does not match a version understood by the server, the server MUST abort the WebSocket handshake described in this section and instead send an appropriate HTTP error code (such as 426 Upgrade Required) and a |Sec-WebSocket-Version| header field indicating the version(s) the server is capable of understanding.\" (see also §4.4)";

    private const string HelloText = "Hello, handshake!";
    private static readonly Payload Hello = Payload.Text(HelloText);

    /// <summary>The tester's own request, field by field (RFC 6455 §4.1), with the user's fields last.</summary>
    internal static readonly HeadScript Request = new($"GET {T.Path} HTTP/1.1",
    [
        new("Host", T.Host),
        new("Upgrade", "websocket"),
        new("Connection", "Upgrade"),
        new("Sec-WebSocket-Key", T.Key),
        new("Sec-WebSocket-Version", "13"),
        HeaderLine.UserFields,
    ]);

    public static IEnumerable<Case> Build() => Accepted().Concat(Refused()).Concat(ClientMustFail()).Concat(ClientMustAccept());

    // 15.1 ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> Accepted()
    {
        const string Title = "Requests a server must accept (servers only)";
        int n = 1;
        Case Next(string description, string rfc, string words, SendHandshakeRequest step, Requirement requirement = Requirement.Must, string? expectation = null) =>
            Established($"15.1.{n++}", Title, description, rfc, words, step, requirement, expectation);

        yield return Next("Open the connection with the tester's ordinary request (the reference for the other cases of 15.1).",
            "RFC 6455 §4.2.2", "RFC 6455 §4.2.2: \"If the server chooses to accept the incoming connection, it MUST reply with a valid HTTP response\"", new(Request));
        yield return Next("Write every header field name in lower case (host, upgrade, connection, sec-websocket-key, sec-websocket-version).",
            "RFC 6455 §4.1, §4.2.1", CaseInsensitiveNames, new(Request.MapNames(name => name.ToLowerInvariant())));
        yield return Next("Write every header field name in upper case (HOST, UPGRADE, CONNECTION, SEC-WEBSOCKET-KEY, SEC-WEBSOCKET-VERSION).",
            "RFC 6455 §4.1, §4.2.1", CaseInsensitiveNames, new(Request.MapNames(name => name.ToUpperInvariant())));
        yield return Next("Send 'Upgrade: WebSocket' (the value in mixed case).", "RFC 6455 §4.2.1",
            "RFC 6455 §4.2.1 item 3: \"An |Upgrade| header field containing the value \"websocket\", treated as an ASCII case-insensitive value.\"", new(Request.Replace("Upgrade", "WebSocket")));
        yield return Next("Send 'Connection: keep-alive, Upgrade' (the token among others, as browsers send it).", "RFC 6455 §4.2.1",
            "RFC 6455 §4.2.1 item 4: \"A |Connection| header field that includes the token \"Upgrade\", treated as an ASCII case-insensitive value.\"", new(Request.Replace("Connection", "keep-alive, Upgrade")));
        yield return Next("Send 'Connection: upgrade' (the token in lower case).", "RFC 6455 §4.2.1",
            "RFC 6455 §4.2.1 item 4: \"A |Connection| header field that includes the token \"Upgrade\", treated as an ASCII case-insensitive value.\"", new(Request.Replace("Connection", "upgrade")));
        yield return Next("Add header fields the server does not know (X-Wsconf-Note, X-Wsconf-Empty with an empty value, Accept-Language, Cache-Control).", "RFC 6455 §4.1",
            "RFC 6455 §4.1 item 12: \"The request MAY include any other header fields, for example, cookies [RFC6265] and/or authentication-related header fields\"; unknown header fields are ignored (RFC 9110 §5.1).",
            new(Request.With(new HeaderLine("X-Wsconf-Note", "a header field no server knows"), new HeaderLine("X-Wsconf-Empty", ""), new HeaderLine("Accept-Language", "de-CH, en;q=0.5"), new HeaderLine("Cache-Control", "no-cache"))));
        yield return Next("Write the values with extra spaces and tabs around them ('Upgrade:  websocket \\t', 'Connection:\\tUpgrade  ').", "RFC 9112 §5.1",
            "RFC 9112 §5.1: \"A field line value might be preceded and/or followed by optional whitespace (OWS) ... [it] is not part of the field line value and is removed\"",
            new(Request.Replace("Upgrade", " websocket \t").Replace("Connection", "\tUpgrade  ")));
        yield return Next("Offer two subprotocols in one Sec-WebSocket-Protocol field ('chat, superchat'). The server may select one of them or none; a selection must be exactly one of the two.",
            "RFC 6455 §4.2.2", "RFC 6455 §4.2.2 item 5.4 /subprotocol/: \"The value chosen MUST be derived from the client's handshake, specifically by selecting one of the values from the |Sec-WebSocket-Protocol| field\"",
            new(Request.With(new HeaderLine("Sec-WebSocket-Protocol", "chat, superchat"))));
        yield return Next("Offer the subprotocols in two Sec-WebSocket-Protocol fields ('chat', then 'superchat').", "RFC 6455 §11.3.4",
            "RFC 6455 §11.3.4: \"The |Sec-WebSocket-Protocol| header field MAY appear multiple times in an HTTP request (which is logically the same as a single |Sec-WebSocket-Protocol| header field that contains all values).\"",
            new(Request.With(new HeaderLine("Sec-WebSocket-Protocol", "chat"), new HeaderLine("Sec-WebSocket-Protocol", "superchat"))));
        yield return Next("Offer an extension no server implements ('x-wsconf-unknown; level=3'). The server declines it by leaving it out of its response; refusing the connection for it fails the case.", "RFC 6455 §9.1",
            "RFC 6455 §9.1: \"The server accepts one or more extensions by including a |Sec-WebSocket-Extensions| header field containing one or more extensions that were requested by the client.\" An extension it does not support is simply not accepted.",
            new(Request.With(new HeaderLine("Sec-WebSocket-Extensions", "x-wsconf-unknown; level=3"))));
        yield return Next("Offer two unknown extensions in two Sec-WebSocket-Extensions fields ('x-wsconf-a', then 'x-wsconf-b; mode=\"quoted\"').", "RFC 6455 §9.1, §11.3.2",
            "RFC 6455 §11.3.2: \"The |Sec-WebSocket-Extensions| header field MAY appear multiple times in an HTTP request (which is logically the same as a single |Sec-WebSocket-Extensions| header field that contains all values).\"",
            new(Request.With(new HeaderLine("Sec-WebSocket-Extensions", "x-wsconf-a"), new HeaderLine("Sec-WebSocket-Extensions", "x-wsconf-b; mode=\"quoted\""))));
        yield return Next("Write the request one octet per write (TCP_NODELAY, so one octet per segment). The server must wait for the whole request and then accept it.", "RFC 6455 §4.2.1",
            "RFC 6455 §4.2.1: the server reads the client's opening handshake, which is an HTTP request; TCP is a byte stream, so the request may arrive in any number of segments.",
            new(Request) { Writing = Writing.Chop(1) });
        yield return Next("Write the request without its final empty line, wait 1 s, then write the empty line. The server must not answer before the request is complete.", "RFC 6455 §4.2.1, RFC 9112 §2.2",
            "RFC 9112 §2.1: a request's header section ends with an empty line; until it has arrived the server has not read the client's handshake (RFC 6455 §4.2.1).",
            new(Request) { HoldLastLine = TimeSpan.FromSeconds(1) });
        yield return Next("Write the request and the first frame (a masked text message) in one write, so they share a TCP segment.", "RFC 6455 §4.1, §4.2.2",
            "RFC 6455 §4.1 asks the client to wait for the response before sending data, so this client is impatient; but the octets after the request's empty line belong to the WebSocket connection the 101 opens (RFC 6455 §4.2.2), and a server should not lose them.",
            new(Request) { FirstFrame = Frame.Text(HelloText) }, Requirement.Should,
            "A 101 response, then the echo of the message. Accepting the connection but losing the message (no echo) is NON-STRICT; not accepting it is FAILED.");
    }

    private static Case Established(string id, string title, string description, string rfc, string words, SendHandshakeRequest step, Requirement requirement, string? expectation)
    {
        bool framed = step.FirstFrame is not null;
        return new Case
        {
            Id = id,
            SubcategoryTitle = title,
            Description = description + (framed ? "" : $" Then send the text message '{HelloText}'."),
            Expectation = expectation ?? "A valid 101 response (RFC 6455 §4.2.2: the right Sec-WebSocket-Accept, Upgrade and Connection, at most one offered subprotocol, no extension that was not offered, " +
                          "nothing written before the request was complete), then the echo of the message and a clean close with normal code. Any other answer fails the case.",
            RfcSection = rfc,
            Requirement = requirement,
            Script = framed ? [step, CloseAfter(2)] : [step, Send(new Frame(Protocol.Opcode.Text, Hello)), CloseAfter(2)],
            Behavior = framed ? new ExpectEvents([Echo(Hello)], NonStrict: []) : new ExpectEvents([Echo(Hello)]),
            Close = ExpectedClose.TesterCloses,
            Handshake = new HandshakeRule.Established { RfcWords = words },
            Roles = PeerRoles.Server,
        };
    }

    // 15.2 ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> Refused()
    {
        const string Title = "Requests a server must refuse (servers only)";
        var bad = new HandshakeRule.Refused(StatusSet.Of(400), StatusSet.ClassOf(4)) { RfcWords = ServerMustRefuse };
        var version = new HandshakeRule.Refused(StatusSet.Of(426), StatusSet.ClassOf(4)) { RfcWords = VersionRule, VersionField = VersionField.Required };
        var notWebSocket = new HandshakeRule.Refused(StatusSet.ClassOf(4), StatusSet.ClassOf(2, 3, 5)) { RfcWords = ServerMustRefuse };
        const string BadExpectation = "The server refuses the request with 400 Bad Request (OK) or another 4xx (NON-STRICT: the RFC's \"such as 400\"); a 101 or any other answer fails the case.";
        const string NotWebSocketExpectation = "The server does not switch protocols: a 4xx is OK; another status (answering it as a plain HTTP request) is NON-STRICT; a 101 fails the case.";
        int n = 1;
        Case Next(string description, string rfc, HeadScript request, HandshakeRule.Refused rule, string expectation, Requirement requirement = Requirement.Must) => new()
        {
            Id = $"15.2.{n++}",
            SubcategoryTitle = Title,
            Description = description,
            Expectation = expectation,
            RfcSection = rfc,
            Requirement = requirement,
            Script = [new SendHandshakeRequest(request)],
            Behavior = ExpectEvents.Nothing,
            Close = ExpectedClose.PeerFailsProtocolError,
            Handshake = rule,
            Roles = PeerRoles.Server,
        };

        yield return Next("Leave out Sec-WebSocket-Key.", "RFC 6455 §4.2.1", Request.Without("Sec-WebSocket-Key"), bad, BadExpectation);
        yield return Next("Send a Sec-WebSocket-Key that is the base64 of 15 octets, not 16 ('AAECAwQFBgcICQoLDA0O').", "RFC 6455 §4.2.1",
            Request.Replace("Sec-WebSocket-Key", "AAECAwQFBgcICQoLDA0O"), bad with { RfcWords = ServerMustRefuse + " Item 5: \"A |Sec-WebSocket-Key| header field with a base64-encoded value that, when decoded, is 16 bytes in length.\"" }, BadExpectation);
        yield return Next("Send a Sec-WebSocket-Key of 24 characters that is not base64 ('not base64, not a key!!').", "RFC 6455 §4.2.1",
            Request.Replace("Sec-WebSocket-Key", "not base64, not a key!!"), bad, BadExpectation);
        yield return Next("Send two Sec-WebSocket-Key fields, each a valid key.", "RFC 6455 §4.2.1, §11.3.1",
            Request.With(new HeaderLine("Sec-WebSocket-Key", T.SecondKey)), bad with { RfcWords = ServerMustRefuse + " RFC 6455 §11.3.1: \"The |Sec-WebSocket-Key| header field MUST NOT appear more than once in an HTTP request.\"" }, BadExpectation);

        const string VersionExpectation = "426 Upgrade Required with 'Sec-WebSocket-Version: 13' is OK; another 4xx with that field is NON-STRICT (the RFC's \"such as 426\"); a refusal without the field, a 101 or any other answer fails the case.";
        yield return Next("Send 'Sec-WebSocket-Version: 8' (the version of draft-ietf-hybi-thewebsocketprotocol-10, whose framing is the same as 13's).", "RFC 6455 §4.2.2, §4.4", Request.Replace("Sec-WebSocket-Version", "8"),
            version with { UpgradeIsInformational = "a server may speak several versions (RFC 6455 §4.4), and version 8 differs from 13 only in its handshake details, so accepting it is the server's choice, not a violation" },
            VersionExpectation.Replace("a refusal without the field, a 101 or any other answer fails the case", "a refusal without the field or any other answer fails the case; a 101 (the server speaks version 8 too) is INFORMATIONAL", StringComparison.Ordinal));
        yield return Next("Send 'Sec-WebSocket-Version: 14' (a later version nobody has defined).", "RFC 6455 §4.2.2, §4.4", Request.Replace("Sec-WebSocket-Version", "14"), version, VersionExpectation);
        yield return Next("Send 'Sec-WebSocket-Version: thirteen' (not a number).", "RFC 6455 §4.2.2, §4.4", Request.Replace("Sec-WebSocket-Version", "thirteen"),
            version with { NonStrict = StatusSet.ClassOf(4), VersionField = VersionField.ForOk },
            "426 Upgrade Required with 'Sec-WebSocket-Version: 13' is OK; another 4xx, with or without the field, is NON-STRICT (the value breaks the field's ABNF, so \"400 Bad Request\" of §4.2.1 applies too); a 101 or any other answer fails the case.");
        yield return Next("Leave out Sec-WebSocket-Version.", "RFC 6455 §4.2.1, §4.4", Request.Without("Sec-WebSocket-Version"),
            new HandshakeRule.Refused(StatusSet.Of(400, 426), StatusSet.ClassOf(4)) { RfcWords = ServerMustRefuse + " Item 6: \"A |Sec-WebSocket-Version| header field, with a value of 13.\"" },
            "400 Bad Request (§4.2.1) or 426 Upgrade Required (§4.4) is OK; another 4xx is NON-STRICT; a 101 or any other answer fails the case.");

        var http10 = new HandshakeRule.Refused(StatusSet.ClassOf(4, 5), StatusSet.ClassOf(2, 3))
        {
            RfcWords = "RFC 6455 §4.2.1 item 1: \"An HTTP/1.1 or higher GET request\"; RFC 7230 §6.7 (now RFC 9110 §7.8): \"A server MUST ignore an Upgrade header field that is received in an HTTP/1.0 request.\"",
        };
        yield return Next("Send the request as HTTP/1.0 ('GET /path HTTP/1.0', all upgrade fields present).", "RFC 6455 §4.2.1, RFC 9110 §7.8",
            Request with { StartLine = $"GET {T.Path} HTTP/1.0" }, http10,
            "The server does not switch protocols: an error status (4xx or 5xx, e.g. 400 or 505) is OK; answering it as a plain HTTP/1.0 request is NON-STRICT; a 101 fails the case.");
        yield return Next("Send the request with the method POST (and 'Content-Length: 0').", "RFC 6455 §4.2.1",
            (Request with { StartLine = $"POST {T.Path} HTTP/1.1" }).With(new HeaderLine("Content-Length", "0")), notWebSocket with { RfcWords = ServerMustRefuse + " Item 1: \"An HTTP/1.1 or higher GET request\"." }, NotWebSocketExpectation);
        yield return Next("Send the request with the method HEAD.", "RFC 6455 §4.2.1",
            Request with { StartLine = $"HEAD {T.Path} HTTP/1.1" }, notWebSocket with { RfcWords = ServerMustRefuse + " Item 1: \"An HTTP/1.1 or higher GET request\"." }, NotWebSocketExpectation);
        yield return Next("Leave out the Upgrade field.", "RFC 6455 §4.2.1", Request.Without("Upgrade"), notWebSocket with { RfcWords = ServerMustRefuse + " Item 3: \"An |Upgrade| header field containing the value \"websocket\"\"." }, NotWebSocketExpectation);
        yield return Next("Send 'Upgrade: h2c' instead of websocket.", "RFC 6455 §4.2.1", Request.Replace("Upgrade", "h2c"), notWebSocket with { RfcWords = ServerMustRefuse + " Item 3: \"An |Upgrade| header field containing the value \"websocket\"\"." }, NotWebSocketExpectation);
        yield return Next("Leave out the Connection field.", "RFC 6455 §4.2.1", Request.Without("Connection"), notWebSocket with { RfcWords = ServerMustRefuse + " Item 4: \"A |Connection| header field that includes the token \"Upgrade\"\"." }, NotWebSocketExpectation);
        yield return Next("Send 'Connection: keep-alive' (no Upgrade token).", "RFC 6455 §4.2.1", Request.Replace("Connection", "keep-alive"), notWebSocket with { RfcWords = ServerMustRefuse + " Item 4: \"A |Connection| header field that includes the token \"Upgrade\"\"." }, NotWebSocketExpectation);

        var host = new HandshakeRule.Refused(StatusSet.Of(400), StatusSet.ClassOf(4))
        {
            RfcWords = "RFC 6455 §4.2.1 item 2: \"A |Host| header field containing the server's authority.\" RFC 9112 §3.2: \"A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that lacks a Host header field and to any request message that contains more than one Host header field line\"",
        };
        const string HostExpectation = "400 Bad Request is OK (RFC 9112 §3.2 names it); another 4xx is NON-STRICT; a 101 or any other answer fails the case.";
        yield return Next("Leave out the Host field.", "RFC 6455 §4.2.1, RFC 9112 §3.2", Request.Without("Host"), host, HostExpectation);
        yield return Next("Send two Host fields (the target's authority twice).", "RFC 6455 §4.2.1, RFC 9112 §3.2", Request.With(new HeaderLine("Host", T.Host)), host, HostExpectation);
    }
}
