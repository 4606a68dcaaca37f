using Conformance.Harness.Wire;
using NUnit.Framework;

namespace Conformance.Tests.Clients;

/// <summary>The server side of the opening handshake (RFC 6455 §4.2): a pure parse and check, errors as HTTP statuses.</summary>
public sealed class ServerHandshakeTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static string Request(string target = "/runCase?case=1&agent=x", string host = "127.0.0.1:9001", params string[] dropOrReplace)
    {
        var fields = new List<string>
        {
            $"Host: {host}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            $"Sec-WebSocket-Key: {Key}",
            "Sec-WebSocket-Version: 13",
        };
        foreach (string change in dropOrReplace)
        {
            string name = change.Split(':')[0];
            fields.RemoveAll(f => f.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
            if (change.Contains(':', StringComparison.Ordinal))
            {
                fields.Add(change);
            }
        }

        return $"GET {target} HTTP/1.1\r\n" + string.Join("\r\n", fields) + "\r\n\r\n";
    }

    private static (ClientRequest? Request, HttpError? Error) ParseAndCheck(string head)
    {
        var request = ServerHandshake.Parse(head, out var error);
        return request is null ? (null, error) : (request, ServerHandshake.Check(request));
    }

    [Test]
    public void The_RFC_example_is_accepted_with_the_RFC_accept_value_and_no_subprotocol_or_extension()
    {
        var (request, error) = ParseAndCheck(Request(dropOrReplace: ["Sec-WebSocket-Protocol: chat, superchat", "Sec-WebSocket-Extensions: permessage-deflate"]));

        Assert.That(error, Is.Null);
        string response = ServerHandshake.Accept(request!, "test");
        Assert.That(response, Does.StartWith("HTTP/1.1 101 Switching Protocols\r\n"));
        Assert.That(response, Does.Contain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), "RFC 6455 §1.3 example");
        Assert.That(response, Does.Contain("Upgrade: websocket\r\n").And.Contain("Connection: Upgrade\r\n"));
        Assert.That(response, Does.Not.Contain("Sec-WebSocket-Protocol").And.Not.Contain("Sec-WebSocket-Extensions"));
        Assert.That(response, Does.EndWith("\r\n\r\n"));
    }

    [TestCase("127.0.0.1:9001")]
    [TestCase("127.0.0.1:80")]
    [TestCase("localhost:32768")]
    [TestCase("example.org")]
    [TestCase("[::1]:4711")]
    public void Any_port_in_the_Host_header_is_accepted_unlike_Autobahn_issue_128(string host)
    {
        Assert.That(ParseAndCheck(Request(host: host)).Error, Is.Null);
    }

    [Test]
    public void Path_and_query_are_split_and_decoded_like_a_form()
    {
        var request = ServerHandshake.Parse(Request("/runCase?case=17&agent=My+Client%2F1.0%20%C3%A9"), out _)!;

        Assert.That(request.Path, Is.EqualTo("/runCase"));
        Assert.That(request.Query, Is.EqualTo(new KeyValuePair<string, string>[] { new("case", "17"), new("agent", "My Client/1.0 é") }));
    }

    [Test]
    public void An_absolute_request_target_is_reduced_to_its_path_and_query()
    {
        var request = ServerHandshake.Parse(Request("http://127.0.0.1:9001/getCaseCount?x=1"), out var error);

        Assert.That(error, Is.Null);
        Assert.That(request!.Path, Is.EqualTo("/getCaseCount"));
        Assert.That(request.QueryText, Is.EqualTo("x=1"));
    }

    [TestCase("Host", 400, "Host")]
    [TestCase("Upgrade", 426, "Upgrade: websocket")]
    [TestCase("Upgrade: h2c", 426, "Upgrade: websocket")]
    [TestCase("Connection: keep-alive", 400, "Connection")]
    [TestCase("Sec-WebSocket-Key", 400, "Sec-WebSocket-Key")]
    [TestCase("Sec-WebSocket-Key: c2hvcnQ=", 400, "16 octets")]
    [TestCase("Sec-WebSocket-Key: not base64 at all!!!!!", 400, "16 octets")]
    [TestCase("Sec-WebSocket-Version: 8", 426, "version 13")]
    [TestCase("Sec-WebSocket-Version", 426, "Sec-WebSocket-Version")]
    public void A_broken_handshake_is_an_HTTP_error_not_an_exception(string change, int status, string fragment)
    {
        var (_, error) = ParseAndCheck(Request(dropOrReplace: change));

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Status, Is.EqualTo(status));
        Assert.That(error.Message, Does.Contain(fragment));
    }

    [Test]
    public void A_wrong_version_is_answered_with_the_supported_version()
    {
        var (_, error) = ParseAndCheck(Request(dropOrReplace: "Sec-WebSocket-Version: 7"));
        string response = System.Text.Encoding.ASCII.GetString(ServerHandshake.Reject(error!, "test"));

        Assert.That(response, Does.StartWith("HTTP/1.1 426 Upgrade Required\r\n"));
        Assert.That(response, Does.Contain("Sec-WebSocket-Version: 13\r\n"));
        Assert.That(response, Does.Contain("Connection: close\r\n"));
    }

    [Test]
    public void A_POST_or_an_HTTP_1_0_request_is_refused()
    {
        var post = ServerHandshake.Parse(Request().Replace("GET ", "POST ", StringComparison.Ordinal), out _)!;
        var old = ServerHandshake.Parse(Request().Replace("HTTP/1.1", "HTTP/1.0", StringComparison.Ordinal), out _)!;

        Assert.That(ServerHandshake.Check(post)!.Status, Is.EqualTo(405));
        Assert.That(ServerHandshake.Check(old)!.Status, Is.EqualTo(400));
    }

    [TestCase("GET\r\n\r\n")]
    [TestCase("get / HTTP/1.1\r\n\r\n")]
    [TestCase("GET / SPDY/3\r\n\r\n")]
    [TestCase("GET * HTTP/1.1\r\nHost: x\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\r\nno colon here\r\n\r\n")]
    [TestCase("\r\n\r\n")]
    public void Garbage_is_a_parse_error_with_a_status(string head)
    {
        var request = ServerHandshake.Parse(head, out var error);

        Assert.That(request, Is.Null);
        Assert.That(error!.Status, Is.AnyOf(400, 505));
        Assert.That(error.Message, Is.Not.Empty);
    }

    [Test]
    public void Binary_garbage_is_a_parse_error_with_a_status()
    {
        string head = System.Text.Encoding.Latin1.GetString([0x00, 0xff, 0x01, .. "garbage\r\n\r\n"u8]);

        Assert.That(ServerHandshake.Parse(head, out var error), Is.Null);
        Assert.That(error!.Status, Is.EqualTo(400));
    }

    [Test]
    public void A_plain_GET_parses_and_does_not_ask_for_WebSocket()
    {
        var request = ServerHandshake.Parse("GET /?agent=Firefox HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nAccept: text/html\r\n\r\n", out var error);

        Assert.That(error, Is.Null);
        Assert.That(request!.AsksForWebSocket, Is.False);
        Assert.That(request.Path, Is.EqualTo("/"));
    }
}
