using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Verdicts = Conformance.Tests.Integration.Verdicts;
using Conformance.Harness.Targets;
using Conformance.Reports.Model;
using Conformance.Tests.Integration;
using Conformance.Tests.Support;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Handshake;

/// <summary>
/// Category 15 against the real peers: the servers Kestrel, ws and python3-websockets, and the ws client through its
/// driver; every case must match <see cref="HandshakeExpectations"/> (the RFC, or a difference with its evidence).
/// ClientWebSocket is checked with the whole client catalogue in Clients/RealClientTests.
/// </summary>
[TestFixture]
[Integration]
public sealed class RealPeerHandshakeTests
{
    private static readonly string[] ServerCases = CaseSelection.Select(CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Server), ["15.*"], []).Select(c => c.Id.Text).ToArray();

    private static async Task<IReadOnlyList<CaseResult>> RunAsync(string agent, Uri url)
    {
        var cases = ServerCases.Select(id => CaseCatalogue.Find(id)!).ToArray();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await ServerTesting.RunAsync(new ServerTestOptions { Plan = RunPlan.ForServer(new ServerTarget(agent, url), cases), Parallel = 4 }, _ => { }, null, limit.Token);
    }

    private static void Compare(string what, Func<string, ExpectedVerdicts?> handshake, IEnumerable<string> selected, IEnumerable<CaseResult> results)
    {
        var expected = new TargetExpectations { Target = what, Source = "RFC 6455 §4 (no published results)", PublishedCategories = new HashSet<int>(), PublishedNotOk = new Dictionary<string, Verdicts>(), Handshake = handshake };
        var differences = VerdictComparison.Differences(expected, selected, results.Select(ObservedCase.From));
        Assert.That(differences, Is.Empty, VerdictComparison.Message($"{what}, category 15", differences));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Kestrel_matches_the_RFC_or_its_documented_differences()
    {
        await using var server = await KestrelEchoServer.StartAsync();
        Compare("Kestrel", HandshakeExpectations.Kestrel, ServerCases, await RunAsync(KestrelEchoServer.Agent, server.Url));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task The_ws_server_matches_the_RFC_or_its_documented_differences()
    {
        await using var server = await NodeWsEchoServer.StartAsync();
        Compare("ws (server)", HandshakeExpectations.Ws, ServerCases, await RunAsync(NodeWsEchoServer.Agent, server.Url));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task The_python3_websockets_server_matches_the_RFC_or_its_documented_differences()
    {
        await using var server = await PythonWebsocketsServer.StartAsync();
        Compare("python3-websockets", HandshakeExpectations.PythonWebsockets, ServerCases, await RunAsync(PythonWebsocketsServer.Agent, server.Url));
    }

    [Test]
    [CancelAfter(120_000)]
    [NonParallelizable] // the CLI captures the process-wide console
    public async Task The_ws_client_matches_the_RFC_or_its_documented_differences()
    {
        string moduleDir = await NodeWs.EnsureInstalledAsync();
        string driver = Path.Combine(AppContext.BaseDirectory, "ws-client-driver.js");
        using var folder = new TempFolder();
        string outDir = Path.Combine(folder.Path, "clients");
        var outcome = await Clients.ClientRuns.RunAsync("test-client", "--port", "0", "--cases", "15.*", "--out", outDir,
            "--exec", $"node {Clients.ClientRuns.Quote(driver)} {Clients.ClientRuns.Env("WSCONF_URL")} ws-client {Clients.ClientRuns.Quote(moduleDir)}");

        var index = ResultsIndex.Read(outDir);
        Assert.That(index.Keys, Is.EqualTo(new[] { "ws-client" }), outcome.ToString());
        var selected = CaseSelection.Select(CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client), ["15.*"], []).Select(c => c.Id.Text);
        var expected = new TargetExpectations { Target = "ws client", Source = "RFC 6455 §4", PublishedCategories = new HashSet<int>(), PublishedNotOk = new Dictionary<string, Verdicts>(), Handshake = HandshakeExpectations.WsClient };
        var differences = VerdictComparison.Differences(expected, selected, index["ws-client"]);
        Assert.That(differences, Is.Empty, VerdictComparison.Message("ws client, category 15", differences) + "\n" + outcome);
    }
}
