using Conformance.Cases.Scripting;
using Conformance.Harness.Cli;
using Conformance.Harness.Handshake;
using Conformance.Harness.Running;
using Conformance.Harness.Wire;
using Conformance.Tests.Support;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Handshake;

/// <summary><c>--header</c>, <c>--origin</c>, <c>--protocol</c> and the spec's <c>servers[].headers</c>: checked at start, on the wire in every case.</summary>
[TestFixture]
[NonParallelizable] // the command-line tests capture the process-wide console
public sealed class RequestOptionsTests
{
    [TestCase("Authorization: Bearer abc", "Authorization", "Bearer abc")]
    [TestCase("X-Tenant:7", "X-Tenant", "7")]
    [TestCase("X-Empty:", "X-Empty", "")]
    public void A_header_is_name_colon_value(string text, string name, string value) =>
        Assert.That(RequestFields.ParseHeader(text, out _), Is.EqualTo(new KeyValuePair<string, string>(name, value)));

    [TestCase("no colon", "is not 'Name: value'")]
    [TestCase("Bad Name: x", "not an HTTP token")]
    [TestCase("Host: example.com", "written by the harness")]
    [TestCase("sec-websocket-key: x", "written by the harness")]
    [TestCase("Origin: https://x", "--origin")]
    [TestCase("Sec-WebSocket-Protocol: chat", "--protocol")]
    [TestCase("X-Evil: a\rb", "control character")]
    public void A_header_that_would_break_the_request_is_refused(string text, string because)
    {
        Assert.That(RequestFields.ParseHeader(text, out string? error), Is.Null);
        Assert.That(error, Does.Contain(because));
    }

    [Test]
    public void Origins_and_subprotocols_are_checked()
    {
        Assert.That(RequestFields.CheckOrigin("https://example.com"), Is.Null);
        Assert.That(RequestFields.CheckOrigin("example.com"), Does.Contain("absolute URL"));
        Assert.That(RequestFields.CheckProtocol("chat.v2"), Is.Null);
        Assert.That(RequestFields.CheckProtocol("a, b"), Does.Contain("token"));
    }

    [Test]
    public void The_tester_s_request_carries_the_user_s_fields()
    {
        var offer = new HandshakeOffer(new Uri("ws://127.0.0.1:9001/x"), "ua") { Origin = "https://example.com", Protocols = ["chat"], Headers = [new("Authorization", "Bearer abc")] };
        string request = ClientHandshake.BuildRequest(offer, ClientHandshake.NewKey());

        Assert.That(request, Does.Contain("\r\nOrigin: https://example.com\r\n").And.Contain("\r\nSec-WebSocket-Protocol: chat\r\n").And.Contain("\r\nAuthorization: Bearer abc\r\n"));
        Assert.That(request, Does.EndWith("\r\n\r\n"));
    }

    [Test]
    public void A_scripted_request_gets_the_user_s_fields_except_those_it_writes_itself()
    {
        var target = new ServerTarget("t", new Uri("ws://127.0.0.1:9001/")) { Origin = "https://example.com", Protocols = ["mine"], Headers = [new("X-Tenant", "7")] };
        var subprotocols = (SendHandshakeRequest)CaseCatalogue.Find("15.1.9")!.Script[0];
        var ordinary = (SendHandshakeRequest)CaseCatalogue.Find("15.1.1")!.Script[0];

        Assert.That(UpgradeCheck.UserFields(target, ordinary.Request).Select(f => f.Name), Is.EqualTo(new[] { "Origin", "Sec-WebSocket-Protocol", "X-Tenant" }));
        Assert.That(UpgradeCheck.UserFields(target, subprotocols.Request).Select(f => f.Name), Is.EqualTo(new[] { "Origin", "X-Tenant" }), "15.1.9 offers its own subprotocols");
    }

    [Test]
    public void The_spec_s_servers_may_carry_headers()
    {
        var spec = FuzzingClientSpec.Parse("""{"servers": [{"url": "ws://h:1", "headers": {"Authorization": "Bearer abc"}}], "cases": ["*"]}""", out string? error);

        Assert.That(error, Is.Null);
        Assert.That(spec!.Servers.Single().Headers, Is.EqualTo(new[] { new KeyValuePair<string, string>("Authorization", "Bearer abc") }));
        Assert.That(FuzzingClientSpec.Parse("""{"servers": [{"url": "ws://h:1", "headers": ["x"]}], "cases": ["*"]}""", out error), Is.Null);
        Assert.That(error, Does.Contain("'headers' must map header names to string values"));
    }

    [TestCase("--header", "Host: x", "written by the harness")]
    [TestCase("-H", "nonsense", "is not 'Name: value'")]
    [TestCase("--origin", "not a url", "absolute URL")]
    [TestCase("--protocol", "a b", "not a token")]
    public async Task A_bad_request_option_is_one_line_and_exit_2(string option, string value, string because)
    {
        var console = await CliRunner.RunAsync(["test-server", "ws://127.0.0.1:9", option, value]);
        int exit = console.Exit;

        Assert.That(exit, Is.EqualTo(ExitCodes.Usage), console.Error);
        Assert.That(console.ErrorLines, Has.Count.EqualTo(1), console.Error);
        Assert.That(console.Error, Does.Contain(because));
    }

    [Test]
    public async Task The_fields_reach_the_server_in_every_case()
    {
        await using var server = HandshakeServer.Start();
        using var folder = new TempFolder();
        var console = await CliRunner.RunAsync(["test-server", server.Url.ToString(), "--cases", "1.1.1,15.1.1", "-H", "X-Tenant: 7", "--origin", "https://example.com", "--out", folder.Path]);
        int exit = console.Exit;

        Assert.That(exit, Is.EqualTo(ExitCodes.Passed), console.Out + console.Error);
        foreach (string file in Directory.GetFiles(folder.Path, "*.json").Where(f => f.Contains("case_1", StringComparison.Ordinal)))
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            Assert.That(json.RootElement.GetProperty("httpRequest").GetString(), Does.Contain("\r\nX-Tenant: 7\r\n").And.Contain("\r\nOrigin: https://example.com\r\n"), file);
        }

        Assert.That(Directory.GetFiles(folder.Path, "*.json").Count(f => f.Contains("case_1", StringComparison.Ordinal)), Is.EqualTo(2));
    }
}
