using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;
using Conformance.Reports.Model;
using Conformance.Tests.Support;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Clients;

/// <summary>
/// Clients that misbehave: never connect, connect twice for one case, leave early, send garbage instead of a
/// handshake, or hang; a client command that exits early or never. Every case gets a verdict in bounded time, the
/// rest are reported as not run, the run ends and the results folder is complete.
/// </summary>
[TestFixture]
[NonParallelizable] // the command-line tests capture the process-wide console
[Integration]
public sealed class ClientRobustnessTests
{
    private static readonly IReadOnlyList<Case> Framing = CaseSelection.Select(CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client), ["1.1.*"], []);

    private TempFolder _folder = null!;
    private ConcurrentQueue<CaseResult> _finished = new();
    private ConcurrentQueue<string> _log = new();

    [SetUp]
    public void Fresh()
    {
        _folder = new TempFolder("wsconf-robust");
        _finished = new();
        _log = new();
    }

    [TearDown]
    public void Clean() => _folder.Dispose();

    private string OutDir => Path.Combine(_folder.Path, "out");

    private string Script(string name, string text)
    {
        string path = _folder.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private Task<CliOutcome> TestClientAsync(string exec, params string[] more) =>
        ClientRuns.RunAsync(["test-client", "--port", "0", "--cases", "1.1.*", "--out", OutDir, "--exec", exec, .. more]);

    private IReadOnlyList<ObservedCase> Index(string agent) => ResultsIndex.Read(OutDir).GetValueOrDefault(agent) ?? [];

    // ---- through the command line, with a client command ----

    [Test]
    public async Task A_client_that_never_connects_ends_the_run_with_every_case_not_run()
    {
        var outcome = await TestClientAsync(OperatingSystem.IsWindows() ? "exit /b 0" : "exit 0");

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Failed), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain($"No client ran a case: {Framing.Count} case(s) not run."));
        Assert.That(File.ReadAllText(Path.Combine(OutDir, "index.json")).Trim(), Is.EqualTo("{}"), "index.json is written even when empty");
        Assert.That(outcome.Took, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task A_client_command_that_exits_early_leaves_the_rest_not_run_and_its_output_is_shown()
    {
        string moduleDir = await NodeWs.EnsureInstalledAsync();
        string script = Script("early.js", $$"""
            const WebSocket = require({{JsonSerializer.Serialize(Path.Combine(moduleDir, "node_modules", "ws"))}});
            const base = process.argv[2];
            let n = 1;
            function next() {
                if (n > 3) { console.log('giving up after 3 cases'); process.exit(3); }
                const ws = new WebSocket(`${base}/runCase?case=${n}&agent=early`);
                ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
                ws.on('error', () => {});
                ws.on('close', () => { n++; next(); });
            }
            next();
            """);

        var outcome = await TestClientAsync($"node {ClientRuns.Quote(script)} {ClientRuns.Env("WSCONF_URL")}");

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Failed), outcome.ToString());
        Assert.That(Index("early").Select(o => (o.CaseId, o.Verdicts)), Is.EqualTo(new[] { ("1.1.1", Integration.Verdicts.Ok), ("1.1.2", Integration.Verdicts.Ok), ("1.1.3", Integration.Verdicts.Ok) }));
        Assert.That(outcome.Out, Does.Contain("early: 5 case(s) not run (1.1.4, 1.1.5, 1.1.6, 1.1.7, 1.1.8)."));
        Assert.That(outcome.Out, Does.Contain("Client: the client command exited with code 3."));
        Assert.That(outcome.Out, Does.Contain("giving up after 3 cases"), "the client's last output lines");
        Assert.That(File.Exists(Path.Combine(OutDir, ReportNames.CaseFile("early", "1.1.3", "json"))), Is.True);
    }

    [Test]
    public async Task A_client_that_leaves_in_the_middle_of_a_case_gets_a_verdict_for_it()
    {
        string moduleDir = await NodeWs.EnsureInstalledAsync();
        string script = Script("leaves.js", $$"""
            const WebSocket = require({{JsonSerializer.Serialize(Path.Combine(moduleDir, "node_modules", "ws"))}});
            const ws = new WebSocket(`${process.argv[2]}/runCase?case=8&agent=leaver`);
            ws.on('message', () => ws.terminate());
            ws.on('error', () => {});
            ws.on('close', () => process.exit(0));
            """);

        var outcome = await TestClientAsync($"node {ClientRuns.Quote(script)} {ClientRuns.Env("WSCONF_URL")}");

        var results = Index("leaver");
        Assert.That(results.Select(o => o.CaseId), Is.EqualTo(new[] { "1.1.8" }), outcome.ToString());
        Assert.That(results[0].Verdicts, Is.EqualTo(new Integration.Verdicts(Behavior.Failed, CloseBehavior.Failed)), results[0].BehaviorReason + " | " + results[0].CloseReason);
        Assert.That(results[0].DurationMs, Is.LessThan(5000), "the case ends when the client's TCP connection is gone, not at its 10 s timer");
        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(outcome.Out, Does.Contain("leaver: 7 case(s) not run"));
    }

    [Test]
    public async Task A_client_command_that_hangs_is_stopped_at_the_bound_and_the_case_it_hung_in_has_a_verdict()
    {
        // A raw client: sends the opening handshake of case 1, then never reads nor writes again, and never exits.
        string script = Script("hang.js", """
            const net = require('net');
            const url = new URL(process.argv[2]);
            const socket = net.connect(Number(url.port), url.hostname, () => {
                socket.write('GET /runCase?case=1&agent=hang HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
                    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
                socket.pause();
                console.log('connected; hanging');
            });
            socket.on('error', () => {});
            setInterval(() => {}, 1000);
            """);
        var clock = Stopwatch.StartNew();

        var outcome = await TestClientAsync($"node {ClientRuns.Quote(script)} {ClientRuns.Env("WSCONF_URL")}", "--exec-timeout", "4");

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), outcome.ToString());
        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(outcome.Out, Does.Contain("Client: the client command did not finish within 4 s and was stopped."), outcome.ToString());
        var results = Index("hang");
        Assert.That(results.Select(o => o.CaseId), Is.EqualTo(new[] { "1.1.1" }), outcome.ToString());
        Assert.That(results[0].Verdicts.Behavior, Is.EqualTo(Behavior.Failed));
        Assert.That(outcome.Out, Does.Contain("hang: 7 case(s) not run"));
    }

    [Test]
    public async Task A_client_command_that_never_connects_nor_exits_is_stopped_at_the_bound()
    {
        var outcome = await TestClientAsync(OperatingSystem.IsWindows() ? "ping -n 60 127.0.0.1 >NUL" : "sleep 60", "--exec-timeout", "1");

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Failed), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("did not finish within 1 s and was stopped"));
        Assert.That(outcome.Took, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(File.Exists(Path.Combine(OutDir, "index.json")), Is.True);
    }

    // ---- against the server directly, with hand-made clients ----

    private ClientTesting Start(double scale = 0.2, int maxConnections = 64) => ClientTesting.Start(
        new ClientTestOptions { Plan = RunPlan.ForClients(Framing), Timers = new Timers { Scale = scale }, MaxConnections = maxConnections },
        _finished.Enqueue,
        _log.Enqueue);

    [Test]
    public async Task A_connection_that_sends_nothing_is_closed_after_the_opening_handshake_timeout()
    {
        await using var server = Start(scale: 0.2);
        await using var silent = await RawClient.ConnectAsync(server.Port);
        var clock = Stopwatch.StartNew();

        string answer = await silent.ReadToEndAsync(TimeSpan.FromSeconds(10));

        Assert.That(answer, Is.Empty, "nothing to answer: the connection is just closed");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "5 s × 0.2");
        Assert.That(_log, Has.Some.Contains("sent no request within 1 s"));
        Assert.That(_finished, Is.Empty);
    }

    [Test]
    public async Task Half_a_request_head_is_answered_400_after_the_timeout()
    {
        await using var server = Start(scale: 0.2);
        await using var half = await RawClient.ConnectAsync(server.Port);
        await half.SendAsync("GET /runCase?case=1&agent=A HTTP/1.1\r\nHost: x\r\n");

        string answer = await half.ReadToEndAsync(TimeSpan.FromSeconds(10));

        Assert.That(answer, Does.StartWith("HTTP/1.1 400 Bad Request\r\n").And.Contain("incomplete request head"));
    }

    [TestCase("16030102000100010003036761726261676500ff0d0a0d0a", "400 Bad Request")] // a TLS ClientHello-like start
    [TestCase("5353482d322e302d4f70656e5353485f392e320d0a0d0a", "400 Bad Request")] // "SSH-2.0-OpenSSH_9.2"
    [TestCase("68656c6c6f0d0a0d0a", "400 Bad Request")] // "hello"
    [TestCase("474554202f20485454502f312e310d0a486f73740d0a0d0a", "400 Bad Request")] // a header line without a colon
    public async Task Garbage_instead_of_a_handshake_is_answered_with_an_HTTP_error_and_the_server_goes_on(string garbageHex, string status)
    {
        await using var server = Start();
        await using (var bad = await RawClient.ConnectAsync(server.Port))
        {
            await bad.SendAsync(Convert.FromHexString(garbageHex));
            Assert.That(await bad.ReadToEndAsync(), Does.StartWith($"HTTP/1.1 {status}\r\n"));
        }

        string outcome = await ClientWebSocketDriver.EchoCaseAsync(new Uri(server.BaseUrl + "/runCase?case=1&agent=after"), CancellationToken.None);

        Assert.That(outcome, Does.Contain("closed by the server"));
        await WaitUntilAsync(() => _finished.Count == 1);
        Assert.That(_finished.Single().Behavior, Is.EqualTo(Behavior.Ok));
    }

    [Test]
    public async Task An_endless_request_head_is_refused_with_431()
    {
        await using var server = Start();
        await using var flood = await RawClient.ConnectAsync(server.Port);
        await flood.SendAsync("GET / HTTP/1.1\r\nX-Padding: ");
        var chunk = Encoding.ASCII.GetBytes(new string('a', 4096));
        for (int i = 0; i < 6; i++)
        {
            await flood.SendAsync(chunk);
        }

        Assert.That(await flood.ReadToEndAsync(), Does.StartWith("HTTP/1.1 431 "));
    }

    [Test]
    public async Task A_client_that_connects_twice_for_one_case_at_once_gets_a_verdict_for_each_and_one_result_is_kept()
    {
        await using var server = Start(scale: 1);
        var url = new Uri(server.BaseUrl + "/runCase?case=2&agent=twice");

        var both = await Task.WhenAll(ClientWebSocketDriver.EchoCaseAsync(url, CancellationToken.None), ClientWebSocketDriver.EchoCaseAsync(url, CancellationToken.None));

        Assert.That(both, Has.All.Contains("closed by the server"));
        await WaitUntilAsync(() => _finished.Count == 2);
        Assert.That(_finished.Select(r => (r.CaseId, r.Behavior, r.CloseBehavior)), Has.All.EqualTo(("1.1.2", Behavior.Ok, CloseBehavior.Ok)));
        Assert.That(server.Results, Has.Count.EqualTo(1), "the later result replaces the earlier one, as in Autobahn");
    }

    [Test]
    public async Task A_client_that_stops_reading_in_a_large_case_gets_a_verdict_within_the_case_bound()
    {
        var large = CaseSelection.Select(CaseCatalogue.All, ["9.1.6"], []);
        await using var server = ClientTesting.Start(new ClientTestOptions { Plan = RunPlan.ForClients(large), Timers = new Timers { Scale = 0.05 } }, _finished.Enqueue, _log.Enqueue);
        await using var stuck = await RawClient.ConnectAsync(server.Port);
        stuck.Socket.ReceiveBufferSize = 4096;
        await stuck.SendAsync(RawClient.Upgrade("/runCase?case=1&agent=stuck"));
        var clock = Stopwatch.StartNew();

        await WaitUntilAsync(() => _finished.Count == 1, TimeSpan.FromSeconds(30));

        var result = _finished.Single();
        Assert.That(result.Behavior, Is.EqualTo(Behavior.Failed), result.BehaviorReason);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "16 MiB never read: bounded by the case timer C(100) × 0.05 and the closing timeouts");
    }

    [Test]
    public async Task Connections_beyond_the_limit_are_refused_with_503()
    {
        await using var server = Start(scale: 1, maxConnections: 2);
        await using var first = await RawClient.ConnectAsync(server.Port);
        await using var second = await RawClient.ConnectAsync(server.Port);
        await Task.Delay(200);
        await using var third = await RawClient.ConnectAsync(server.Port);

        Assert.That(await third.ReadToEndAsync(), Does.StartWith("HTTP/1.1 503 Service Unavailable\r\n"));
    }

    [Test]
    public async Task Stopping_the_server_in_the_middle_of_a_case_is_prompt_and_records_nothing()
    {
        var slow = CaseSelection.Select(CaseCatalogue.All, ["2.10"], []); // C(3): the harness waits for pongs
        var server = ClientTesting.Start(new ClientTestOptions { Plan = RunPlan.ForClients(slow) }, _finished.Enqueue, _log.Enqueue);
        await using var quiet = await RawClient.ConnectAsync(server.Port);
        await quiet.SendAsync(RawClient.Upgrade("/runCase?case=1&agent=cut"));
        await quiet.ReadHeadAsync();
        await WaitUntilAsync(() => server.RunningCases == 1);
        var clock = Stopwatch.StartNew();

        await server.DisposeAsync();

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(_finished, Is.Empty);
        Assert.That(_log, Has.Some.Contains("cut short by the end of the run: not recorded"));
    }

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? TimeSpan.FromSeconds(15));
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
