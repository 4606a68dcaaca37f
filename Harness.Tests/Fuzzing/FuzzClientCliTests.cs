using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Conformance.Harness.Cli;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Broken;
using Conformance.Tests.Clients;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// <c>fuzz --client</c> as a user runs it: the embedded ClientWebSocket; a served driver (<c>--port</c>) that plays the
/// campaign and comes back for the rounds of reruns; the finding replayed by <c>test-client --cases-from</c> with the same
/// verdict; usage errors; an interrupted campaign still writes its report.
/// </summary>
[TestFixture]
[NonParallelizable] // the command-line tests capture the process-wide console
[Integration]
public sealed class FuzzClientCliTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void Fresh() => _folder = new TempFolder("wsconf-fuzz-client");

    [TearDown]
    public void Clean() => _folder.Dispose();

    [Test]
    public async Task The_embedded_ClientWebSocket_campaign_passes_and_writes_its_page()
    {
        string outDir = Path.Combine(_folder.Path, "out");

        var outcome = await ClientRuns.RunAsync("fuzz", "--client", "--seed", "5", "--count", "60", "--out", outDir);

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("Ran 60 generated case(s)").And.Contain("0 did not pass"));
        using var figures = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "fuzz.json")));
        Assert.That(figures.RootElement.GetProperty("casesRun").GetInt64(), Is.EqualTo(60));
        using var run = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "wsconf-run.json")));
        Assert.That(run.RootElement.GetProperty("mode").GetString(), Is.EqualTo("client"));
        Assert.That(run.RootElement.GetProperty("options").GetProperty("fuzz-role").GetString(), Is.EqualTo("client"));
        Assert.That(File.Exists(Path.Combine(outDir, "fuzz.html")), Is.True);
    }

    [Test]
    public async Task A_served_driver_is_fuzzed_its_finding_shrunk_in_further_rounds_and_replayed_by_test_client_cases_from()
    {
        var flaw = new ScriptedServerOptions { AcceptsRsvBits = true };
        string outDir = Path.Combine(_folder.Path, "fuzz");
        int port = FreePort();
        var fuzz = ClientRuns.RunAsync("fuzz", "--client", "--port", $"{port}", "--seed", "2026", "--count", "600", "--out", outDir,
            "--timeout-scale", "0.5", "--shrink-runs", "60", "--exec-timeout", "60");
        int rounds = await DriveUntilDoneAsync(fuzz, port, flaw, shutdown: false);
        var fuzzed = await fuzz;

        Assert.That(fuzzed.Exit, Is.EqualTo(ExitCodes.Failed), fuzzed.ToString());
        Assert.That(fuzzed.Out, Does.Contain("round(s) of reruns").And.Contain("Reruns are waiting"), fuzzed.ToString());
        Assert.That(rounds, Is.GreaterThanOrEqualTo(2), "the campaign's round and at least one round of reruns");
        string findings = Path.Combine(outDir, "findings");

        // The flaw's finding: the client takes a frame with RSV bits and does not fail the connection (a loaded machine may add others).
        var flawFinding = Directory.GetFiles(findings, "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonDocument.Parse(File.ReadAllBytes(f)))
            .FirstOrDefault(d => d.RootElement.GetProperty("signature").GetString()!.EndsWith("peer did not fail", StringComparison.Ordinal));
        Assert.That(flawFinding, Is.Not.Null, fuzzed.ToString());
        using var first = flawFinding!;
        var minimal = first.RootElement.GetProperty("minimal");
        string caseId = minimal.GetProperty("caseId").GetString()!;
        Assert.That(minimal.GetProperty("actions").GetArrayLength(), Is.LessThanOrEqualTo(5), fuzzed.ToString());

        string replayDir = Path.Combine(_folder.Path, "replay");
        int replayPort = FreePort();
        var replay = ClientRuns.RunAsync("test-client", "--port", $"{replayPort}", "--cases-from", findings, "--out", replayDir, "--timeout-scale", "0.5");
        await DriveUntilDoneAsync(replay, replayPort, flaw, shutdown: true);
        var replayed = await replay;

        var seen = ResultsIndex.Read(replayDir)["scripted"].Single(o => o.CaseId == caseId);
        var expected = minimal.GetProperty("seen");
        Assert.That((seen.Verdicts.Behavior.Label(), seen.Verdicts.Close.Label()), Is.EqualTo((expected.GetProperty("behavior").GetString(), expected.GetProperty("close").GetString())), replayed.ToString());
    }

    [TestCase("fuzz --client ws://127.0.0.1:9/", "takes no URL")]
    [TestCase("fuzz --exec true", "add --client")]
    [TestCase("fuzz --client --port 70000", "--port must be between 0 and 65535")]
    [TestCase("fuzz --client --exec-timeout 0", "--exec-timeout must be a positive number")]
    public async Task Usage_errors_are_one_line_and_exit_2(string command, string message)
    {
        var outcome = await ClientRuns.RunAsync([.. command.Split(' '), "--out", Path.Combine(_folder.Path, "out")]);

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
        Assert.That(outcome.Error, Does.Contain(message));
        Assert.That(outcome.Error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task An_interrupted_client_campaign_still_writes_its_report()
    {
        string outDir = Path.Combine(_folder.Path, "cut");
        var settings = new ClientRunSettings
        {
            Testing = new ClientTestOptions { Plan = RunPlan.ForClients([]) },
            Mode = ClientMode.Embedded,
            ClientTimeout = TimeSpan.FromMinutes(1),
            Parallel = 2,
        };
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        int exit = await ClientFuzzRun.ExecuteAsync(new CampaignOptions { Seed = 9, Count = 100_000 }, settings, "client", outDir, "fuzz --client", interrupt.Token);

        using var figures = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "fuzz.json")));
        Assert.That(figures.RootElement.GetProperty("interrupted").GetBoolean(), Is.True);
        Assert.That(figures.RootElement.GetProperty("casesRun").GetInt64(), Is.GreaterThan(0).And.LessThan(100_000));
        Assert.That(File.Exists(Path.Combine(outDir, "index.html")), Is.True);
        Assert.That(exit, Is.Not.EqualTo(ExitCodes.Usage));
    }

    /// <summary>Runs the scripted client's rounds against the port until the command ends; returns the rounds that played cases.</summary>
    private static async Task<int> DriveUntilDoneAsync(Task command, int port, ScriptedServerOptions flaw, bool shutdown)
    {
        var url = new Uri($"ws://127.0.0.1:{port}/");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        int rounds = 0;
        while (!command.IsCompleted && !limit.IsCancellationRequested)
        {
            try
            {
                if (await ScriptedClient.RunAsync(url, flaw, "scripted", 4, limit.Token, shutdown) > 0)
                {
                    rounds++;
                }
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException or FormatException or OperationCanceledException or HttpRequestException)
            {
                // not listening yet, or the run is ending
            }

            await Task.Delay(100, CancellationToken.None);
        }

        return rounds;
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
