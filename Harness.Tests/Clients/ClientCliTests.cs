using System.Net;
using System.Net.Sockets;
using Conformance.Harness.Cli;
using Conformance.Harness.Targets;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Clients;

/// <summary><c>wsconf test-client</c> on the command line: its modes, exit codes and one-line usage errors.</summary>
[TestFixture]
[NonParallelizable] // captures the process-wide console
public sealed class ClientCliTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void Fresh() => _folder = new TempFolder("wsconf-client-cli");

    [TearDown]
    public void Clean() => _folder.Dispose();

    private string OutDir => Path.Combine(_folder.Path, "out");

    private static void AssertUsageError(CliOutcome outcome, string fragment)
    {
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
            Assert.That(outcome.ErrorLines, Has.Count.EqualTo(1), outcome.ToString());
            Assert.That(outcome.Error, Does.Contain(fragment), outcome.ToString());
            Assert.That(outcome.Error + outcome.Out, Does.Not.Contain("   at "), "no stack trace\n" + outcome);
        });
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Test]
    public async Task A_port_in_use_is_a_usage_error()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var outcome = await ClientRuns.RunAsync("test-client", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", OutDir, "--exec", "exit 0");
            AssertUsageError(outcome, $"cannot listen on 127.0.0.1:{port}");
        }
        finally
        {
            taken.Stop();
        }
    }

    [TestCase("{\"url\": \"ws://127.0.0.1:0\"}", "has no 'cases' list")]
    [TestCase("{\"url\": \"ws://127.0.0.1:0\", \"cases\": [\"11.2.1\"]}", "does not apply when testing a client")]
    [TestCase("{\"url\": \"ws://127.0.0.1:0\", \"cases\": [\"99.1\"]}", "unknown case pattern")]
    [TestCase("not json", "malformed")]
    public async Task A_bad_spec_is_a_usage_error(string json, string fragment)
    {
        string spec = _folder.File("spec.json");
        await File.WriteAllTextAsync(spec, json);

        AssertUsageError(await ClientRuns.RunAsync("test-client", "--spec", spec, "--exec", "exit 0"), fragment);
    }

    [TestCase("--cases", "11.2.1", "'11.2.1' does not apply when testing a client")]
    [TestCase("--cases", "11.2.*", "the selection is empty")]
    [TestCase("--port", "70000", "--port must be between 0 and 65535")]
    [TestCase("--exec", " ", "--exec needs a command")]
    [TestCase("--exec-timeout", "0", "--exec-timeout must be a positive number")]
    [TestCase("--timeout-scale", "0", "--timeout-scale")]
    public async Task Bad_options_are_usage_errors(string option, string value, string fragment)
    {
        AssertUsageError(await ClientRuns.RunAsync("test-client", option, value, "--out", OutDir), fragment);
    }

    [Test]
    public async Task List_clients_numbers_the_cases_as_runCase_does_and_leaves_out_server_only_cases()
    {
        var outcome = await ClientRuns.RunAsync("list", "--clients", "--cases", "10.*,11.*");

        Assert.That(outcome.Exit, Is.EqualTo(0), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("     1 10.1.1 ").And.Contain("     7 11.1.6 ").And.Contain("     9 11.3.2 ").And.Contain("9 case(s)"));
        Assert.That(outcome.Out, Does.Not.Contain("11.2."));
    }

    [Test]
    public async Task Help_explains_the_three_ways_to_run()
    {
        var outcome = await ClientRuns.RunAsync("test-client", "--help");

        Assert.That(outcome.Exit, Is.EqualTo(0));
        Assert.That(outcome.Out, Does.Contain("ClientWebSocket").And.Contain("--exec").And.Contain("Ctrl+C").And.Contain("--exec-timeout").And.Contain("WSCONF_URL"));
    }

    [Test]
    public async Task With_a_spec_url_and_no_exec_it_serves_until_a_client_stops_it()
    {
        int port = FreePort();
        string spec = ClientRuns.WriteSpec(_folder, OutDir, ["1.1.*"], excludeAgentCases: new() { ["serv*"] = ["1.1.8"] });
        await File.WriteAllTextAsync(spec, (await File.ReadAllTextAsync(spec)).Replace("ws://127.0.0.1:0", $"ws://127.0.0.1:{port}", StringComparison.Ordinal));
        var run = ClientRuns.RunAsync("test-client", "--spec", spec);
        var server = new Uri($"ws://127.0.0.1:{port}");
        await WaitForListenerAsync(port, run);

        int count = await ClientWebSocketDriver.RunAsync(server, "served", parallel: 1, log: null, CancellationToken.None);
        Assert.That(File.Exists(Path.Combine(OutDir, "index.html")), Is.True, "/updateReports renders the HTML report");
        await ClientWebSocketDriver.ReadMessagesAsync(new Uri(server, "/stopServer"), CancellationToken.None);
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(count, Is.EqualTo(8));
        Assert.That(outcome.Out, Does.Contain($"Listening on ws://127.0.0.1:{port} with 8 cases").And.Contain("Stopping: a client asked the server to stop (/stopServer)."));
        Assert.That(outcome.Out, Does.Contain("served: 1 case(s) not run (1.1.8); 1 of them excluded for this agent by exclude-agent-cases."));
        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), "a case excluded for this agent on purpose (exclude-agent-cases) is shown as Missing but does not fail the gate\n" + outcome);
        Assert.That(File.Exists(Path.Combine(OutDir, "index.html")), Is.True, "the HTML report");
        var index = ResultsIndex.Read(OutDir);
        Assert.That(index["served"].Select(o => o.CaseId), Is.EqualTo(new[] { "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6", "1.1.7" }));
    }

    private static async Task WaitForListenerAsync(int port, Task run)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Fail(run.IsCompleted ? $"test-client ended before listening:\n{await (Task<CliOutcome>)run}" : "test-client is not listening");
    }
}
