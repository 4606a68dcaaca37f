using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Conformance.Cases;
using Conformance.Cases.Catalogue;
using Conformance.Cases.Scripting;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Integration;

/// <summary>
/// The harness against a real, independent implementation: websockets/ws (Node.js) as an echo server,
/// compared case by case with ws's published Autobahn results. Needs Node.js (fails, not skips, without it).
/// </summary>
[TestFixture]
[NonParallelizable] // the spec-file test captures the process-wide console
[Integration]
public class WsServerTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    private NodeWsEchoServer? _server;
    private IReadOnlyList<CaseResult> _results = [];
    private readonly ConcurrentQueue<string> _log = new();

    private NodeWsEchoServer Server => _server ?? throw new InvalidOperationException("the ws echo server is not running");

    [OneTimeSetUp]
    public async Task Run_the_catalogue_against_ws()
    {
        _server = await NodeWsEchoServer.StartAsync();

        // Categories 1–7, 9, 10 (published) and 11 (ours, compared separately) in one run.
        var cases = Catalogue.All.Where(c => c.Category is >= 1 and <= 7 or 9 or 10 or PublishedResults.MaskingCategory).ToArray();
        using var limit = new CancellationTokenSource(RunLimit);
        var clock = Stopwatch.StartNew();
        _results = await ServerTesting.RunAsync(
            new ServerTestOptions { Plan = RunPlan.ForServers([new ServerTarget(NodeWsEchoServer.Agent, Server.Url)], cases), Parallel = 4 },
            _ => { },
            _log.Enqueue,
            limit.Token);
        TestContext.Progress.WriteLine($"ws {NodeWs.Version} at {Server.Url}: {RunSummary.Describe(_results, clock.Elapsed)}");
    }

    [OneTimeTearDown]
    public async Task Stop_the_server()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public void Categories_1_to_7_9_and_10_match_the_published_ws_results()
    {
        var selected = Catalogue.All.Where(c => PublishedResults.Ws.PublishedCategories.Contains(c.Category)).Select(c => c.Id.Text).ToArray();
        var observed = _results.Where(r => r.Category != PublishedResults.MaskingCategory).Select(ObservedCase.From);

        var differences = VerdictComparison.Differences(PublishedResults.Ws, selected, observed);

        Assert.That(selected, Has.Length.EqualTo(301), "categories 1–7, 9, 10 hold Autobahn's 301 cases");
        Assert.That(differences, Is.Empty, VerdictComparison.Message($"ws {NodeWs.Version} vs {PublishedResults.Ws.Source}", differences) + Notes());
    }

    [Test]
    public void Category_11_masking_has_no_published_results_and_ws_does_what_the_RFC_asks()
    {
        var masking = _results.Where(r => r.Category == PublishedResults.MaskingCategory).OrderBy(r => CaseId.Parse(r.CaseId)).ToArray();
        foreach (var r in masking)
        {
            TestContext.Out.WriteLine($"{r.CaseId,-8} {r.Behavior.Label(),-13} {r.CloseBehavior.Label(),-13} {r.BehaviorReason} | {r.CloseReason}");
        }

        var selected = Catalogue.All.Where(c => c.Category == PublishedResults.MaskingCategory && c.AppliesTo(Conformance.Cases.Scripting.PeerRoles.Server)).Select(c => c.Id.Text).ToArray();
        var differences = VerdictComparison.Differences(PublishedResults.Ws, selected, masking.Select(ObservedCase.From));

        Assert.That(selected, Is.Not.Empty);
        Assert.That(differences, Is.Empty, VerdictComparison.Message($"ws {NodeWs.Version}, category 11 vs RFC 6455 §5.1/§5.3", differences) + Notes());
    }

    [Test]
    public async Task An_Autobahn_fuzzingclient_spec_run_through_the_CLI_writes_the_published_verdicts_to_index_json()
    {
        using var folder = new TempFolder();
        string outDir = Path.Combine(folder.Path, "reports", "servers");
        const string agent = "ws-via-spec";
        string spec = folder.File("fuzzingclient.json");
        await File.WriteAllTextAsync(spec, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object> { ["failByDrop"] = false },
            ["outdir"] = outDir,
            ["servers"] = new[] { new Dictionary<string, object> { ["agent"] = agent, ["url"] = Server.Url.ToString(), ["options"] = new Dictionary<string, object> { ["version"] = 18 } } },
            ["cases"] = new[] { "*" },
            ["exclude-cases"] = new[] { "9.*", "15.*" }, // ws's handshake findings (15.2.9, 15.2.16, 15.2.17) are Handshake/RealPeerHandshakeTests
            ["exclude-agent-cases"] = new Dictionary<string, object>(),
        }));

        var clock = Stopwatch.StartNew();
        var run = await CliRunner.RunAsync(["test-server", "--spec", spec, "--parallel", "4"]);
        (int exit, string stdout, string stderr) = (run.Exit, run.Out, run.Error);

        TestContext.Out.WriteLine($"spec run: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.That(exit, Is.EqualTo(ExitCodes.Passed), $"exit code; stdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.That(File.Exists(Path.Combine(outDir, "index.json")), Is.True, $"index.json in the spec's outdir {outDir}");

        var index = ResultsIndex.Read(outDir);
        Assert.That(index.Keys, Is.EqualTo(new[] { agent }), "agents in index.json");

        var selected = CaseSelection.Select(CaseSelection.ForRole(Catalogue.All, Conformance.Cases.Scripting.PeerRoles.Server), ["*"], ["9.*", "15.*"]).Select(c => c.Id.Text).ToArray();
        Assert.That(selected.Any(id => id.StartsWith("9.", StringComparison.Ordinal)), Is.False);
        var differences = VerdictComparison.Differences(PublishedResults.Ws, selected, index[agent]);
        Assert.That(differences, Is.Empty, VerdictComparison.Message($"index.json for '{agent}' vs published ws results", differences));
    }

    private string Notes()
    {
        string log = _log.IsEmpty ? "" : "\nrun log:\n  " + string.Join("\n  ", _log);
        string errors = _server?.Errors is { Length: > 0 } e ? "\nnode stderr:\n" + e : "";
        return log + errors;
    }
}
