using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;
using T = Conformance.Cases.Scripting.HandshakeTokens;

namespace Conformance.Cases.Catalogue;

/// <summary>Category 15, testing clients: responses a client must refuse (15.3) and responses it must accept (15.4).</summary>
internal static partial class Handshake
{
    private const string ClientMustFailWords = "the client MUST _Fail the WebSocket Connection_";

    /// <summary>The tester's own 101 response (RFC 6455 §4.2.2), field by field.</summary>
    internal static readonly HeadScript Response = new("HTTP/1.1 101 Switching Protocols",
    [
        new("Upgrade", "websocket"),
        new("Connection", "Upgrade"),
        new("Sec-WebSocket-Accept", T.Accept),
    ]);

    // 15.3 ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> ClientMustFail()
    {
        const string Title = "Responses a client must refuse (clients only)";
        const string AcceptWords = "RFC 6455 §4.1 item 4: \"If the response lacks a |Sec-WebSocket-Accept| header field or the |Sec-WebSocket-Accept| contains a value other than the base64-encoded SHA-1 of the concatenation of the |Sec-WebSocket-Key| ... with the string \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\" ..., " + ClientMustFailWords + ".\"";
        const string StatusWords = "RFC 6455 §4.1: \"If the status code received from the server is not 101, the client handles the response per HTTP [RFC2616] procedures.\" Only a 101 establishes the WebSocket connection (§4.2.2); the client must not read frames after any other status.";
        const string UpgradeWords = "RFC 6455 §4.1 item 2: \"If the response lacks an |Upgrade| header field or the |Upgrade| header field contains a value that is not an ASCII case-insensitive match for the value \"websocket\", " + ClientMustFailWords + ".\"";
        const string ConnectionWords = "RFC 6455 §4.1 item 3: \"If the response lacks a |Connection| header field or the |Connection| header field doesn't contain a token that is an ASCII case-insensitive match for the value \"Upgrade\", " + ClientMustFailWords + ".\"";
        int n = 1;
        Case Next(string description, string rfc, string words, HeadScript response, string? goingOnIsNonStrict = null) => new()
        {
            Id = $"15.3.{n++}",
            SubcategoryTitle = Title,
            Description = description + $" Then send the text message '{HelloText}'.",
            Expectation = "The client fails the connection: it closes TCP (or sends a close frame) and never echoes the message. Echoing it (going on as if the connection were open) " +
                          (goingOnIsNonStrict is null ? "fails the case" : "is NON-STRICT here") + "; neither echoing nor closing TCP within 2 s is NON-STRICT (RFC 6455 §7.1.7: failing the connection means closing it).",
            RfcSection = rfc,
            Script = [new ServeHandshakeResponse(response), Send(new Frame(Protocol.Opcode.Text, Hello)), Kill(2)],
            Behavior = ExpectEvents.Nothing,
            Close = ExpectedClose.PeerFailsProtocolError,
            Handshake = new HandshakeRule.ClientFails { RfcWords = words, GoingOnIsNonStrict = goingOnIsNonStrict },
            Requirement = goingOnIsNonStrict is null ? Requirement.Must : Requirement.Should,
            Roles = PeerRoles.Client,
        };

        yield return Next("Answer 101 with the Sec-WebSocket-Accept of another key (well-formed, and wrong).", "RFC 6455 §4.1", AcceptWords, Response.Replace("Sec-WebSocket-Accept", T.WrongAccept));
        yield return Next("Answer 101 without Sec-WebSocket-Accept.", "RFC 6455 §4.1", AcceptWords, Response.Without("Sec-WebSocket-Accept"));
        yield return Next("Answer 101 with the client's own Sec-WebSocket-Key as the Sec-WebSocket-Accept value.", "RFC 6455 §4.1", AcceptWords, Response.Replace("Sec-WebSocket-Accept", T.Key));
        yield return Next("Answer '200 OK' with every upgrade field of a good 101 (Upgrade, Connection, the right Sec-WebSocket-Accept).", "RFC 6455 §4.1", StatusWords,
            Response with { StartLine = "HTTP/1.1 200 OK" });
        yield return Next("Answer '302 Found' (Location: /wsconf-redirected) with every upgrade field of a good 101. A client may follow the redirect, but must not use this connection as a WebSocket.", "RFC 6455 §4.1",
            StatusWords + " §4.1 also: \"the server might redirect the client using a 3xx status code (but clients are not required to follow them)\".",
            (Response with { StartLine = "HTTP/1.1 302 Found" }).With(new HeaderLine("Location", "/wsconf-redirected")));
        yield return Next("Answer '403 Forbidden' with every upgrade field of a good 101.", "RFC 6455 §4.1", StatusWords, Response with { StartLine = "HTTP/1.1 403 Forbidden" });
        yield return Next("Answer '500 Internal Server Error' with every upgrade field of a good 101.", "RFC 6455 §4.1", StatusWords, Response with { StartLine = "HTTP/1.1 500 Internal Server Error" });
        yield return Next("Answer 101 without the Upgrade field.", "RFC 6455 §4.1", UpgradeWords, Response.Without("Upgrade"));
        yield return Next("Answer 101 with 'Upgrade: h2c'.", "RFC 6455 §4.1", UpgradeWords, Response.Replace("Upgrade", "h2c"));
        yield return Next("Answer 101 without the Connection field.", "RFC 6455 §4.1", ConnectionWords, Response.Without("Connection"));
        yield return Next("Answer 101 with 'Connection: keep-alive' (no Upgrade token).", "RFC 6455 §4.1", ConnectionWords, Response.Replace("Connection", "keep-alive"));
        yield return Next("Answer with the status line 'HTTP/1.0 101 Switching Protocols' (HTTP/1.0 has no 101 and no Upgrade).", "RFC 6455 §4.1, RFC 9110 §15.2",
            "RFC 6455 §4.1: the client must validate the server's response, and the handshake's response is \"HTTP/1.1 101 Switching Protocols\" (§1.3, §4.2.2); RFC 9110 §15.2: \"Since HTTP/1.0 did not define any 1xx status codes, a server MUST NOT send a 1xx response to an HTTP/1.0 client.\" An HTTP/1.0 response cannot switch protocols.",
            Response with { StartLine = "HTTP/1.0 101 Switching Protocols" },
            "the checks RFC 6455 §4.1 lists for a client do not name the HTTP version of the status line, so going on is NON-STRICT rather than FAILED");
        yield return Next("Answer 101 selecting the subprotocol 'wsconf.unoffered', which the client did not offer.", "RFC 6455 §4.1",
            "RFC 6455 §4.1 item 6: \"If the response includes a |Sec-WebSocket-Protocol| header field and this header field indicates the use of a subprotocol that was not present in the client's handshake ..., " + ClientMustFailWords + ".\"",
            Response.With(new HeaderLine("Sec-WebSocket-Protocol", "wsconf.unoffered")));
        yield return Next("Answer 101 accepting the extension 'x-wsconf-unoffered', which the client did not offer.", "RFC 6455 §4.1",
            "RFC 6455 §4.1 item 5: \"If the response includes a |Sec-WebSocket-Extensions| header field and this header field indicates the use of an extension that was not present in the client's handshake ..., " + ClientMustFailWords + ".\"",
            Response.With(new HeaderLine("Sec-WebSocket-Extensions", "x-wsconf-unoffered")));
        yield return Next("Answer 101 accepting the client's first permessage-deflate offer with a parameter it did not offer and no response may carry ('x_wsconf_unoffered'); to a client that offered no permessage-deflate, accept permessage-deflate itself.",
            "RFC 7692 §7, RFC 6455 §4.1",
            "RFC 7692 §7: \"A client MUST _Fail the WebSocket Connection_ if the peer server accepted an extension negotiation offer for this extension with an extension negotiation response meeting any of the following conditions: The negotiation response contains an extension parameter not defined for use in a response.\" RFC 6455 §4.1 item 5 for an extension not offered at all.",
            Response.With(new HeaderLine("Sec-WebSocket-Extensions", T.UnofferedDeflate)));
    }

    // 15.4 ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> ClientMustAccept()
    {
        const string Title = "Responses a client must accept (clients only)";
        int n = 1;
        Case Next(string description, string rfc, string words, ServeHandshakeResponse step)
        {
            bool framed = step.FirstFrame is not null;
            return new Case
            {
                Id = $"15.4.{n++}",
                SubcategoryTitle = Title,
                Description = description + (framed ? "" : $" Then send the text message '{HelloText}'."),
                Expectation = "The client accepts the response and echoes the message; clean close with normal code. Failing the connection, or no echo, fails the case.",
                RfcSection = rfc,
                Requirement = Requirement.Must,
                Script = framed ? [step, CloseAfter(2)] : [step, Send(new Frame(Protocol.Opcode.Text, Hello)), CloseAfter(2)],
                Behavior = new ExpectEvents([Echo(Hello)]),
                Close = ExpectedClose.TesterCloses,
                Handshake = new HandshakeRule.Established { RfcWords = words },
                Roles = PeerRoles.Client,
            };
        }

        const string EstablishedWords = "RFC 6455 §4.1: \"If the server's response is validated as provided for above, it is said that _The WebSocket Connection is Established_\"";
        yield return Next("Answer with the tester's ordinary 101 response (the reference for the other cases of 15.4).", "RFC 6455 §4.1", EstablishedWords, new(Response));
        yield return Next("Write every header field name of the 101 in lower case.", "RFC 6455 §4.1", CaseInsensitiveNames, new(Response.MapNames(name => name.ToLowerInvariant())));
        yield return Next("Write every header field name of the 101 in upper case, and 'Upgrade: WEBSOCKET'.", "RFC 6455 §4.1", CaseInsensitiveNames + " Item 2: the Upgrade value is \"an ASCII case-insensitive match for the value \"websocket\"\".",
            new(Response.MapNames(name => name.ToUpperInvariant()).Replace("Upgrade", "WEBSOCKET")));
        yield return Next("Answer 101 with 'Connection: keep-alive, Upgrade'.", "RFC 6455 §4.1",
            "RFC 6455 §4.1 item 3: the Connection field must \"contain a token that is an ASCII case-insensitive match for the value \"Upgrade\"\" - other tokens may stand beside it.", new(Response.Replace("Connection", "keep-alive, Upgrade")));
        yield return Next("Answer 101 with header fields the client does not know (Server, Date, X-Wsconf-Note).", "RFC 6455 §4.2.2",
            "RFC 6455 §4.2.2 item 5: \"Additional header fields may also be present, such as Set-Cookie\"; a client ignores fields it does not know (RFC 9110 §5.1).",
            new(Response.With(new HeaderLine("Server", "wsconf"), new HeaderLine("Date", "Fri, 04 Dec 2026 00:00:00 GMT"), new HeaderLine("X-Wsconf-Note", "a header field no client knows"))));
        yield return Next("Answer 101 with spaces around the Sec-WebSocket-Accept value.", "RFC 6455 §4.1",
            "RFC 6455 §4.1 item 4: the accept value is compared \"ignoring any leading and trailing whitespace\".", new(Response.Replace("Sec-WebSocket-Accept", $"  {T.Accept}  ")));
        yield return Next("Write the 101 response one octet per write (TCP_NODELAY, so one octet per segment).", "RFC 6455 §4.1",
            "RFC 6455 §4.1: the client reads the server's response, an HTTP response; TCP is a byte stream, so it may arrive in any number of segments.",
            new(Response) { Writing = Writing.Chop(1) });
        yield return Next("Write the 101 response and the first frame (an unmasked text message) in one write, so they share a TCP segment.", "RFC 6455 §4.1, §4.2.2",
            "RFC 6455 §4.2.2: once the server has sent its handshake the connection is open and it \"MAY begin sending data\"; the octets after the response's empty line are the first frame.",
            new(Response) { FirstFrame = Frame.Text(HelloText) });
    }
}
