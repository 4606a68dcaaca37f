using System.Text.Json;
using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Cli;
using Conformance.Harness.Targets;
using Conformance.Reports.Model;
using Conformance.Tests.Integration;
using Conformance.Tests.Support;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Clients;

/// <summary>What every client run leaves behind: the results folder read back, compared case by case.</summary>
public abstract class RealClientRun
{
    private TempFolder? _folder;

    private protected CliOutcome Outcome { get; private set; } = new(-1, "", "", TimeSpan.Zero);

    protected string OutDir => Path.Combine(_folder?.Path ?? throw new InvalidOperationException("not run"), "reports", "clients");

    private protected IReadOnlyDictionary<string, IReadOnlyList<ObservedCase>> Index { get; private set; } = new Dictionary<string, IReadOnlyList<ObservedCase>>();

    private protected async Task RunAsync(Func<TempFolder, string[]> args)
    {
        _folder = new TempFolder("wsconf-client");
        Outcome = await ClientRuns.RunAsync(args(_folder));
        TestContext.Progress.WriteLine($"{GetType().Name}: exit {Outcome.Exit} in {Outcome.Took.TotalSeconds:F1} s");
        if (File.Exists(Path.Combine(OutDir, "index.json")))
        {
            Index = ResultsIndex.Read(OutDir);
        }
    }

    [OneTimeTearDown]
    public void Delete_the_folder() => _folder?.Dispose();

    private protected IReadOnlyList<ObservedCase> Only(string agent)
    {
        Assert.That(Index.Keys, Is.EqualTo(new[] { agent }), $"agents in index.json\n{Outcome}");
        return Index[agent];
    }

    protected JsonDocument CaseFile(string agent, string caseId) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(OutDir, ReportNames.CaseFile(agent, caseId, "json"))));

    protected static string[] ClientCaseIds(Func<Case, bool> filter) =>
        CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client).Where(filter).Select(c => c.Id.Text).ToArray();
}

/// <summary>
/// The embedded default: <c>wsconf test-client</c> with no --exec and no --port tests .NET's ClientWebSocket in-process
/// and exits with the gate code. Compared case by case with what RFC 6455 asks (no client report is published).
/// </summary>
[TestFixture]
[NonParallelizable] // captures the process-wide console
[Integration]
public sealed class ClientWebSocketTests : RealClientRun
{
    [OneTimeSetUp]
    public Task Run_the_embedded_default() => RunAsync(folder => ["test-client", "--out", Path.Combine(folder.Path, "reports", "clients")]);

    [Test]
    public void The_default_run_tests_ClientWebSocket_and_fails_the_gate_only_on_the_documented_handshake_cases()
    {
        var failed = Only(ClientWebSocketDriver.Agent).Where(o => o.Verdicts.Behavior == Behavior.Failed || o.Verdicts.Close == CloseBehavior.Failed).Select(o => o.CaseId);
        Assert.That(failed, Is.EquivalentTo(Handshake.HandshakeExpectations.FailedIn(Handshake.HandshakeExpectations.ClientWebSocket, PeerRoles.Client)), "FAILED cases: the opening-handshake checks ClientWebSocket skips (README)");
        Assert.That(Outcome.Exit, Is.EqualTo(ExitCodes.Failed), Outcome.ToString());
        Assert.That(Outcome.Out, Does.Contain($"Testing the embedded {ClientWebSocketDriver.Agent} client"));
        Assert.That(Outcome.Out, Does.Not.Contain("case(s) not run"), Outcome.ToString());
    }

    [Test]
    public void Every_client_case_matches_the_RFC_expectation_or_a_documented_difference()
    {
        var selected = ClientCaseIds(_ => true);
        var differences = VerdictComparison.Differences(ClientExpectations.ClientWebSocket, selected, Only(ClientWebSocketDriver.Agent));

        Assert.That(ClientCaseIds(c => c.Category <= PublishedResults.MaskingCategory), Has.Length.EqualTo(309), "categories 1–7, 9, 10 (301), 11.1.x (6) and 11.3.x (2)");
        Assert.That(differences, Is.Empty, VerdictComparison.Message($"{ClientWebSocketDriver.Agent} (.NET {Environment.Version}) vs RFC 6455", differences));
    }

    [Test]
    public void The_late_UTF_8_failure_of_6_4_3_shows_in_the_wire_log()
    {
        using var json = CaseFile(ClientWebSocketDriver.Agent, "6.4.3");
        var log = json.RootElement.GetProperty("wirelog").EnumerateArray().ToArray();
        double lastPart = log.Where(e => e.GetProperty("dir").GetString() == "tx" && e.TryGetProperty("note", out var n) && n.GetString()!.StartsWith("next part", StringComparison.Ordinal))
            .Select(e => e.GetProperty("t").GetDouble()).Max();
        double clientClose = log.Where(e => e.GetProperty("dir").GetString() == "rx" && e.TryGetProperty("frame", out var f) && f.GetProperty("opcode").GetInt32() == 8)
            .Select(e => e.GetProperty("t").GetDouble()).Single();

        Assert.That(json.RootElement.GetProperty("isServer").GetBoolean(), Is.True);
        Assert.That(json.RootElement.GetProperty("remoteCloseCode").GetInt32(), Is.EqualTo(1007));
        Assert.That(clientClose, Is.GreaterThan(lastPart), "ClientWebSocket fails the connection only after the frame's last part");
        Assert.That(json.RootElement.GetProperty("received").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "timeout A", "timeout B" }));
    }
}

/// <summary>
/// The npm package ws as a client, run by the CLI through --exec with Harness/Targets/ws-client-driver.js and an
/// Autobahn fuzzingserver spec, compared case by case with ws's published client report. Needs Node.js.
/// </summary>
[TestFixture]
[NonParallelizable] // captures the process-wide console
[Integration]
public sealed class WsClientTests : RealClientRun
{
    private const string Agent = "ws-client";

    [OneTimeSetUp]
    public async Task Run_the_ws_driver()
    {
        string moduleDir = await NodeWs.EnsureInstalledAsync();
        string driver = Path.Combine(AppContext.BaseDirectory, "ws-client-driver.js");
        Assert.That(File.Exists(driver), Is.True, $"{driver}: Harness/Targets/ws-client-driver.js must be copied to the output");
        await RunAsync(folder =>
        [
            // Compression (12–14) against the ws client is Compression/ClientRoleCompressionTests.
            "test-client", "--spec", ClientRuns.WriteSpec(folder, Path.Combine(folder.Path, "reports", "clients"), ["*"], ["12.*", "13.*", "14.*"]),
            "--exec", $"node {ClientRuns.Quote(driver)} {ClientRuns.Env("WSCONF_URL")} {Agent} {ClientRuns.Quote(moduleDir)}",
        ]);
    }

    [Test]
    public void The_driver_runs_every_case_and_the_run_passes_the_gate()
    {
        Assert.That(Outcome.Exit, Is.EqualTo(ExitCodes.Passed), Outcome.ToString());
        Assert.That(Outcome.Out, Does.Not.Contain("case(s) not run"), Outcome.ToString());
    }

    [Test]
    public void Categories_1_to_7_9_and_10_match_the_published_ws_client_results()
    {
        var selected = ClientCaseIds(c => c.Category < PublishedResults.MaskingCategory);
        var observed = Only(Agent).Where(o => CaseId.Parse(o.CaseId).Category < PublishedResults.MaskingCategory); // 15.* is Handshake/RealPeerHandshakeTests

        var differences = VerdictComparison.Differences(ClientExpectations.Ws, selected, observed);

        Assert.That(selected, Has.Length.EqualTo(301));
        Assert.That(differences, Is.Empty, VerdictComparison.Message($"ws {NodeWs.Version} client vs {ClientExpectations.Ws.Source}", differences));
    }

    [Test]
    public void Category_11_a_masked_frame_from_the_server_makes_ws_fail_the_connection()
    {
        var selected = ClientCaseIds(c => c.Category == PublishedResults.MaskingCategory);
        var observed = Only(Agent).Where(o => o.CaseId.StartsWith("11.", StringComparison.Ordinal));

        var differences = VerdictComparison.Differences(ClientExpectations.Ws, selected, observed);

        Assert.That(selected, Is.EqualTo(new[] { "11.1.1", "11.1.2", "11.1.3", "11.1.4", "11.1.5", "11.1.6", "11.3.1", "11.3.2" }));
        Assert.That(differences, Is.Empty, VerdictComparison.Message($"ws {NodeWs.Version} client, category 11 vs RFC 6455 §5.1", differences));
    }

    [Test]
    public void The_case_files_record_the_server_role()
    {
        using var json = CaseFile(Agent, "1.1.1");

        Assert.That(json.RootElement.GetProperty("isServer").GetBoolean(), Is.True);
        Assert.That(json.RootElement.GetProperty("httpRequest").GetString(), Does.StartWith("GET /runCase?case=1&agent=ws-client HTTP/1.1\r\n"));
        Assert.That(json.RootElement.GetProperty("httpResponse").GetString(), Does.StartWith("HTTP/1.1 101 Switching Protocols\r\n"));
    }
}

/// <summary>
/// Debian's headless Chromium through the browser driver page served at /, run by the CLI through --exec. The page
/// runs every selected case, calls /updateReports with shutdownOnComplete, and the harness then ends the browser.
/// </summary>
[TestFixture]
[NonParallelizable] // captures the process-wide console
[Integration]
public sealed class ChromiumTests : RealClientRun
{
    private const string Agent = "Chromium";
    private static readonly string[] Categories = ["1.*", "2.*", "3.*", "4.*", "5.*", "7.*"];
    private TempFolder? _profile;

    [OneTimeSetUp]
    public async Task Run_the_browser_page()
    {
        string chromium = ClientRuns.Chromium();
        _profile = new TempFolder("wsconf-chromium");
        string page = $"http://127.0.0.1:{(OperatingSystem.IsWindows() ? "%WSCONF_PORT%" : "$WSCONF_PORT")}/?agent={Agent}&shutdown=1";
        string command = $"{ClientRuns.Quote(chromium)} --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update " +
                         $"--disable-sync --no-first-run --user-data-dir={ClientRuns.Quote(_profile.Path)} \"{page}\"";
        await RunAsync(folder => ["test-client", "--port", "0", "--cases", string.Join(',', Categories), "--out", Path.Combine(folder.Path, "reports", "clients"), "--exec", command, "--exec-timeout", "180"]);
    }

    [OneTimeTearDown]
    public void Delete_the_profile() => _profile?.Dispose();

    [Test]
    public void The_page_runs_every_case_and_asks_the_harness_to_stop()
    {
        Assert.That(Outcome.Out, Does.Not.Contain("case(s) not run"), Outcome.ToString());
        Assert.That(Outcome.Out, Does.Not.Contain("did not finish"), Outcome.ToString());
        Assert.That(Only(Agent), Has.Count.EqualTo(ClientCaseIds(c => c.Category is >= 1 and <= 5 or 7).Length), Outcome.ToString());
    }

    [Test]
    public void No_case_fails_except_the_documented_invalid_close_codes()
    {
        var observed = Only(Agent);
        foreach (var o in observed.Where(o => o.Verdicts != Verdicts.Ok).OrderBy(o => CaseId.Parse(o.CaseId)))
        {
            TestContext.Out.WriteLine($"{o.CaseId,-8} {o.Verdicts}  {o.BehaviorReason} | {o.CloseReason}");
        }

        var failed = observed.Where(o => o.Verdicts.Behavior == Behavior.Failed || o.Verdicts.Close == CloseBehavior.Failed).Select(o => o.CaseId).Order(StringComparer.Ordinal);
        Assert.That(failed, Is.EqualTo(ClientExpectations.ChromiumEchoesInvalidCloseCodes.Keys.Order(StringComparer.Ordinal)),
            "FAILED cases; the documented ones are 7.9.x where Chromium echoes an invalid close code (README, ClientExpectations.Chromium)");
        Assert.That(Outcome.Exit, Is.EqualTo(ExitCodes.Failed), "the documented failures fail the gate");

        var selected = ClientCaseIds(c => c.Category is >= 1 and <= 5 or 7);
        var strict = VerdictComparison.Differences(ClientExpectations.Chromium, selected, observed)
            .Where(d => !d.Contains("got NON-STRICT / OK", StringComparison.Ordinal)).ToArray();
        Assert.That(strict, Is.Empty, VerdictComparison.Message("Chromium vs RFC 6455 (NON-STRICT tolerated)", strict));
    }

    [Test]
    public void The_wire_log_shows_the_echoed_invalid_close_code()
    {
        foreach (var (caseId, code) in ClientExpectations.ChromiumEchoesInvalidCloseCodes)
        {
            using var json = CaseFile(Agent, caseId);
            Assert.That(json.RootElement.GetProperty("remoteCloseCode").GetInt32(), Is.EqualTo(code), caseId);
            Assert.That(json.RootElement.GetProperty("localCloseCode").GetInt32(), Is.EqualTo(code), caseId);
        }
    }
}
