using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;
using Conformance.Reports.Model;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Clients;

/// <summary>
/// The fuzzing server speaks Autobahn's client-testing protocol exactly (catalogue spec §4): the control URLs,
/// their answers, HTTP errors for invalid requests, the browser page, and cases played in the server role.
/// </summary>
[TestFixture]
public sealed class FuzzingServerTests
{
    private static readonly IReadOnlyList<Case> Selected = CaseSelection.Select(CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client), ["1.1.*", "2.1", "7.1.1", "11.1.1"], []);

    private ConcurrentQueue<CaseResult> _finished = new();
    private ConcurrentQueue<string> _log = new();
    private int _updates;

    [SetUp]
    public void Fresh_records()
    {
        _finished = new();
        _log = new();
        _updates = 0;
    }

    private ClientTesting Start(IReadOnlyDictionary<string, IReadOnlyList<string>>? excludeAgentCases = null, Timers? timers = null) =>
        ClientTesting.Start(
            new ClientTestOptions { Plan = RunPlan.ForClients(Selected, excludeAgentCases ?? new Dictionary<string, IReadOnlyList<string>>()), Timers = timers ?? new Timers() },
            _finished.Enqueue,
            _log.Enqueue,
            _ =>
            {
                Interlocked.Increment(ref _updates);
                return Task.CompletedTask;
            });

    private static Uri At(ClientTesting server, string pathAndQuery) => new(server.BaseUrl + pathAndQuery);

    private static async Task<string> OnlyMessageAsync(ClientTesting server, string pathAndQuery)
    {
        var messages = await ClientWebSocketDriver.ReadMessagesAsync(At(server, pathAndQuery), CancellationToken.None);
        Assert.That(messages, Has.Count.EqualTo(1), pathAndQuery);
        return messages[0];
    }

    [Test]
    public async Task GetCaseCount_answers_the_number_of_selected_cases_then_closes_with_an_empty_close_frame()
    {
        await using var server = Start();
        await using var raw = await RawClient.ConnectAsync(server.Port);
        await raw.SendAsync(RawClient.Upgrade("/getCaseCount"));

        string head = await raw.ReadHeadAsync();
        var count = await raw.ReadFrameAsync();
        var close = await raw.ReadFrameAsync();

        Assert.That(head, Does.StartWith("HTTP/1.1 101 Switching Protocols\r\n"));
        Assert.That(count, Is.Not.Null);
        Assert.That((count!.Value.Opcode, Encoding.UTF8.GetString(count.Value.Payload), count.Value.Masked), Is.EqualTo(((byte)1, Selected.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), false)));
        Assert.That(close!.Value.Opcode, Is.EqualTo(8));
        Assert.That(close.Value.Payload, Is.Empty, "Autobahn's control endpoints close without a code");
        Assert.That(await OnlyMessageAsync(server, "/getCaseCount"), Is.EqualTo("11"));
    }

    [Test]
    public async Task GetCaseInfo_answers_the_ID_and_description_as_JSON()
    {
        await using var server = Start();

        using var info = JsonDocument.Parse(await OnlyMessageAsync(server, "/getCaseInfo?case=9"));

        Assert.That(info.RootElement.GetProperty("id").GetString(), Is.EqualTo("2.1"));
        Assert.That(info.RootElement.GetProperty("description").GetString(), Is.EqualTo(Selected[8].Description));
    }

    [Test]
    public async Task RunCase_plays_the_case_in_the_server_role_and_getCaseStatus_waits_for_it()
    {
        await using var server = Start();
        var status = ClientWebSocketDriver.ReadMessagesAsync(At(server, "/getCaseStatus?casetuple=2.1&agent=me"), CancellationToken.None);
        await Task.Delay(200);
        Assert.That(status.IsCompleted, Is.False, "the status of a case not run yet is answered once it has finished");

        await ClientWebSocketDriver.EchoCaseAsync(At(server, "/runCase?case=9&agent=me"), CancellationToken.None);
        var answer = await status.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(answer, Is.EqualTo(new[] { "{\"behavior\": \"OK\"}" }));
        var result = _finished.Single();
        Assert.That((result.Agent, result.CaseId, result.CaseIndex, result.TesterIsServer), Is.EqualTo(("me", "2.1", 9, true)));
        Assert.That((result.Behavior, result.CloseBehavior), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)), result.BehaviorReason + " | " + result.CloseReason);
        Assert.That(server.Results, Is.EqualTo(new[] { result }));
        Assert.That(await OnlyMessageAsync(server, "/getCaseStatus?case=9&agent=me"), Is.EqualTo("{\"behavior\": \"OK\"}"), "a known status is answered at once");
    }

    [Test]
    public async Task The_server_never_masks_and_sends_the_first_frame_right_after_the_101_response()
    {
        await using var server = Start();
        await using var raw = await RawClient.ConnectAsync(server.Port);
        await raw.SendAsync(RawClient.Upgrade("/runCase?casetuple=1.1.2&agent=raw"));

        string head = await raw.ReadHeadAsync();
        var first = await raw.ReadFrameAsync(TimeSpan.FromSeconds(2));

        Assert.That(head, Does.Contain("Sec-WebSocket-Accept: "));
        Assert.That(head, Does.Not.Contain("Sec-WebSocket-Protocol").And.Not.Contain("Sec-WebSocket-Extensions"));
        Assert.That(first, Is.Not.Null, "the case's text frame follows the 101 at once");
        Assert.That((first!.Value.Opcode, first.Value.Payload.Length, first.Value.Masked), Is.EqualTo(((byte)1, 125, false)));
    }

    [Test]
    public async Task A_masked_frame_from_the_server_is_case_11_1_1_and_a_client_that_ignores_it_fails_it()
    {
        await using var server = Start();
        await using var raw = await RawClient.ConnectAsync(server.Port);
        await raw.SendAsync(RawClient.Upgrade("/runCase?casetuple=11.1.1&agent=lax"));
        await raw.ReadHeadAsync();

        var frames = await raw.EchoUntilClosedAsync(TimeSpan.FromSeconds(5));

        Assert.That(frames[0].Masked, Is.True, "11.1.1 sends a masked frame from the server (against the role)");
        var result = await WaitForResultAsync("lax", "11.1.1");
        Assert.That(result.Behavior, Is.EqualTo(Behavior.Failed), "echoing a masked server frame instead of failing the connection: " + result.BehaviorReason);
        Assert.That(result.CloseBehavior, Is.EqualTo(CloseBehavior.Failed), result.CloseReason);
    }

    [TestCase("/runCase?case=99&agent=A", "400 Bad Request", "from 1 to 11")]
    [TestCase("/runCase?case=1", "400 Bad Request", "agent")]
    [TestCase("/runCase?case=1&case=2&agent=A", "400 Bad Request", "more than once")]
    [TestCase("/getCaseInfo?casetuple=9.1.1", "400 Bad Request", "not one of the 11 selected")]
    [TestCase("/direct", "404 Not Found", "/getCaseCount")]
    public async Task An_invalid_request_is_answered_with_an_HTTP_error_and_closed(string target, string status, string fragment)
    {
        await using var server = Start();
        await using var raw = await RawClient.ConnectAsync(server.Port);
        await raw.SendAsync(RawClient.Upgrade(target));

        string response = await raw.ReadToEndAsync();

        Assert.That(response, Does.StartWith($"HTTP/1.1 {status}\r\n"));
        Assert.That(response, Does.Contain(fragment));
        Assert.That(_finished, Is.Empty);
    }

    [Test]
    public async Task A_runCase_request_with_a_broken_handshake_gets_a_FAILED_verdict_for_that_case()
    {
        await using var server = Start();
        await using var raw = await RawClient.ConnectAsync(server.Port);
        await raw.SendAsync(RawClient.Upgrade("/runCase?case=1&agent=old", version: "8"));

        string response = await raw.ReadToEndAsync();

        Assert.That(response, Does.StartWith("HTTP/1.1 426 Upgrade Required\r\n").And.Contain("Sec-WebSocket-Version: 13"));
        var result = await WaitForResultAsync("old", "1.1.1");
        Assert.That((result.Behavior, result.CloseBehavior), Is.EqualTo((Behavior.Failed, CloseBehavior.Failed)));
        Assert.That(result.BehaviorReason, Does.Contain("Sec-WebSocket-Version '8'"));
    }

    [TestCase("127.0.0.1:9001")]
    [TestCase("example.org:8080")]
    [TestCase("localhost")]
    public async Task Any_port_in_the_Host_header_is_accepted(string host)
    {
        await using var server = Start();
        await using var raw = await RawClient.ConnectAsync(server.Port);
        await raw.SendAsync(RawClient.Upgrade("/getCaseCount", host));

        Assert.That(await raw.ReadHeadAsync(), Does.StartWith("HTTP/1.1 101 "));
    }

    [Test]
    public async Task A_plain_GET_of_the_root_is_the_browser_page_and_of_a_control_URL_is_426()
    {
        await using var server = Start();
        await using var page = await RawClient.ConnectAsync(server.Port);
        await page.SendAsync($"GET /?agent=x HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\n\r\n");
        string html = await page.ReadToEndAsync();
        await using var control = await RawClient.ConnectAsync(server.Port);
        await control.SendAsync($"GET /getCaseCount HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\n\r\n");
        string upgrade = await control.ReadToEndAsync();

        Assert.That(html, Does.StartWith("HTTP/1.1 200 OK\r\n").And.Contain("Content-Type: text/html; charset=utf-8"));
        Assert.That(html, Does.Contain("/getCaseCount").And.Contain("/runCase?").And.Contain("/updateReports?agent="));
        Assert.That(html, Does.Not.Contain("src=\"http").And.Not.Contain("href=\"http"), "no external resources");
        Assert.That(upgrade, Does.StartWith("HTTP/1.1 426 Upgrade Required\r\n"));
    }

    [Test]
    public async Task A_case_excluded_for_the_agent_is_closed_after_the_handshake_and_not_recorded()
    {
        await using var server = Start(new Dictionary<string, IReadOnlyList<string>> { ["Fire*"] = ["1.1.1"] });

        string outcome = await ClientWebSocketDriver.EchoCaseAsync(At(server, "/runCase?case=1&agent=Firefox"), CancellationToken.None);
        await ClientWebSocketDriver.EchoCaseAsync(At(server, "/runCase?case=1&agent=Chrome"), CancellationToken.None);
        await WaitForResultAsync("Chrome", "1.1.1");

        Assert.That(outcome, Does.Contain("closed by the server"));
        Assert.That(server.Results.Select(r => r.Agent), Is.EqualTo(new[] { "Chrome" }));
        Assert.That(server.CasesFor("Firefox").Select(c => c.Id.Text), Has.No.Member("1.1.1"));
        Assert.That(server.CasesFor("Chrome"), Has.Count.EqualTo(Selected.Count));
        Assert.That(server.Agents, Is.EquivalentTo(new[] { "Firefox", "Chrome" }));
    }

    [Test]
    public async Task Running_a_case_again_replaces_the_earlier_result()
    {
        await using var server = Start();
        await using (var raw = await RawClient.ConnectAsync(server.Port))
        {
            await raw.SendAsync(RawClient.Upgrade("/runCase?case=1&agent=A"));
            await raw.ReadHeadAsync();
        }

        var first = await WaitForResultAsync("A", "1.1.1");
        await ClientWebSocketDriver.EchoCaseAsync(At(server, "/runCase?case=1&agent=A"), CancellationToken.None);
        await WaitUntilAsync(() => _finished.Count == 2);

        Assert.That(first.Behavior, Is.EqualTo(Behavior.Failed));
        Assert.That(server.Results.Single().Behavior, Is.EqualTo(Behavior.Ok));
    }

    [Test]
    public async Task UpdateReports_writes_the_reports_and_shutdownOnComplete_asks_the_server_to_stop()
    {
        await using var server = Start();

        await ClientWebSocketDriver.ReadMessagesAsync(At(server, "/updateReports?agent=A"), CancellationToken.None);
        Assert.That(_updates, Is.EqualTo(1));
        Assert.That(server.StopRequested.IsCompleted, Is.False);

        await ClientWebSocketDriver.ReadMessagesAsync(At(server, "/updateReports?agent=A&shutdownOnComplete=true"), CancellationToken.None);
        Assert.That(_updates, Is.EqualTo(2));
        Assert.That(await server.StopRequested.WaitAsync(TimeSpan.FromSeconds(5)), Does.Contain("shutdownOnComplete"));
    }

    [Test]
    public async Task StopServer_asks_the_server_to_stop()
    {
        await using var server = Start();

        await ClientWebSocketDriver.ReadMessagesAsync(At(server, "/stopServer"), CancellationToken.None);

        Assert.That(await server.StopRequested.WaitAsync(TimeSpan.FromSeconds(5)), Does.Contain("/stopServer"));
        Assert.That(_updates, Is.Zero, "no reports written by /stopServer");
    }

    [Test]
    public async Task A_client_that_closes_TCP_right_after_its_close_reply_is_not_penalised_in_the_server_role()
    {
        await using var server = Start();
        await using var raw = await RawClient.ConnectAsync(server.Port);
        await raw.SendAsync(RawClient.Upgrade("/runCase?case=1&agent=quick"));
        await raw.ReadHeadAsync();
        var text = await raw.ReadFrameAsync();
        await raw.SendFrameAsync(1, text!.Value.Payload);
        var close = await raw.ReadFrameAsync();
        await raw.SendFrameAsync(8, close!.Value.Payload);
        raw.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);

        var result = await WaitForResultAsync("quick", "1.1.1");

        Assert.That((result.Behavior, result.CloseBehavior), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)), result.CloseReason);
        Assert.That(result.Closing.WasClean, Is.True);
        Assert.That(result.Closing.ClosedByMe, Is.True);
    }

    private async Task<CaseResult> WaitForResultAsync(string agent, string caseId)
    {
        await WaitUntilAsync(() => _finished.Any(r => r.Agent == agent && r.CaseId == caseId));
        return _finished.Last(r => r.Agent == agent && r.CaseId == caseId);
    }

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out; log:\n  " + string.Join("\n  ", _log));
            }

            await Task.Delay(20);
        }
    }
}
