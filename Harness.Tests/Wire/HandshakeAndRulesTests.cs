using Conformance.Cases.Protocol;
using Conformance.Harness.Wire;
using NUnit.Framework;

namespace Conformance.Tests.Wire;

[TestFixture]
public class HandshakeAndRulesTests
{
    private static readonly HandshakeOffer Offer = new(new Uri("ws://example.com:9001/chat?x=1"), "test");

    [Test]
    public void The_accept_value_is_the_one_in_RFC_6455_section_1_3() =>
        Assert.That(ClientHandshake.AcceptFor("dGhlIHNhbXBsZSBub25jZQ=="), Is.EqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));

    [Test]
    public void The_request_names_path_host_port_and_version()
    {
        string request = ClientHandshake.BuildRequest(Offer, "dGhlIHNhbXBsZSBub25jZQ==");
        Assert.That(request, Does.StartWith("GET /chat?x=1 HTTP/1.1\r\n").And.Contain("Host: example.com:9001\r\n")
            .And.Contain("Sec-WebSocket-Version: 13\r\n").And.EndWith("\r\n\r\n"));
    }

    private static string Response(string status = "HTTP/1.1 101 Switching Protocols", string? accept = null, string extra = "") =>
        $"{status}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept ?? ClientHandshake.AcceptFor("dGhlIHNhbXBsZSBub25jZQ==")}\r\n{extra}\r\n";

    [Test]
    public void A_correct_response_is_accepted() =>
        Assert.That(ClientHandshake.Check(Response(), "dGhlIHNhbXBsZSBub25jZQ==", Offer, out _), Is.Null);

    [TestCase("HTTP/1.1 200 OK", null, "", "instead of 101")]
    [TestCase("HTTP/1.1 101 Switching Protocols", "wrong", "", "Sec-WebSocket-Accept")]
    [TestCase("HTTP/1.1 101 Switching Protocols", null, "Sec-WebSocket-Extensions: permessage-deflate\r\n", "did not offer")]
    [TestCase("HTTP/1.1 101 Switching Protocols", null, "Sec-WebSocket-Protocol: chat\r\n", "did not offer")]
    [TestCase("garbage", null, "", "not HTTP/1.1")]
    public void A_wrong_response_fails_the_handshake_with_a_reason(string status, string? accept, string extra, string reason) =>
        Assert.That(ClientHandshake.Check(Response(status, accept, extra), "dGhlIHNhbXBsZSBub25jZQ==", Offer, out _), Does.Contain(reason));

    [Test]
    public void A_malformed_header_line_is_reported_not_thrown() =>
        Assert.That(HttpHead.Parse("HTTP/1.1 101 X\r\nno colon here\r\n\r\n").Error, Does.Contain("malformed header line"));

    private static FrameHeader Header(byte opcode, bool fin = true, byte rsv = 0, bool masked = false, ulong length = 0, bool minimal = true) =>
        new(fin, rsv, opcode, masked, 0, length, 2, minimal);

    [Test]
    public void Frame_rules_follow_RFC_6455()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FrameRules.Check(Header(Opcode.Text), peerMustMask: false, messageInProgress: false), Is.Null);
            Assert.That(FrameRules.Check(Header(Opcode.Text, masked: true), false, false)?.Reason, Does.Contain("§5.1"));
            Assert.That(FrameRules.Check(Header(Opcode.Text), peerMustMask: true, false)?.Reason, Does.Contain("not masked"));
            Assert.That(FrameRules.Check(Header(Opcode.Text, rsv: 4), false, false)?.Reason, Does.Contain("RSV"));
            Assert.That(FrameRules.Check(Header(Opcode.Text, rsv: 4), false, false, rsv1Negotiated: true), Is.Null);
            Assert.That(FrameRules.Check(Header(3), false, false)?.Reason, Does.Contain("reserved opcode"));
            Assert.That(FrameRules.Check(Header(Opcode.Ping, fin: false), false, false)?.Reason, Does.Contain("fragmented control"));
            Assert.That(FrameRules.Check(Header(Opcode.Ping, length: 126), false, false)?.Reason, Does.Contain("125"));
            Assert.That(FrameRules.Check(Header(Opcode.Continuation), false, messageInProgress: false)?.Reason, Does.Contain("no message to continue"));
            Assert.That(FrameRules.Check(Header(Opcode.Text), false, messageInProgress: true)?.Reason, Does.Contain("unfinished"));
            Assert.That(FrameRules.Check(Header(Opcode.Ping), false, messageInProgress: true), Is.Null, "control frames may come between fragments (§5.4)");
            Assert.That(FrameRules.Check(Header(Opcode.Binary, length: 5, minimal: false), false, false)?.Reason, Does.Contain("minimal"));
        });
    }

    [TestCase("", null, null)]
    [TestCase("03e8", 1000, null)]
    [TestCase("03e8cebae1bdb9cf83cebcceb5", 1000, null)]
    [TestCase("61", null, 1002)]
    [TestCase("03ed", 1005, 1002)]
    [TestCase("0bb7", 2999, 1002)]
    [TestCase("03f4", 1012, null)]
    [TestCase("03e8eda080", 1000, 1007)]
    public void Close_payloads_are_checked(string hex, int? code, int? violation)
    {
        var found = FrameRules.CheckClosePayload(Convert.FromHexString(hex), out int? parsed, out _);
        Assert.That(parsed, Is.EqualTo(code));
        Assert.That((int?)found?.CloseCode, Is.EqualTo(violation));
    }
}
