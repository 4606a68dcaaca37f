using System.Collections.Concurrent;
using System.Diagnostics;
using Conformance.Cases;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;
using Conformance.Reports.Model;
using Conformance.Tests.Integration;
using Conformance.Tests.Support;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Compression;

/// <summary>
/// Categories 12–14 against npm ws with perMessageDeflate: every case of 12/13 compared with the published
/// all-OK, category 14 with RFC 7692 and ws's investigated differences. The longest test of the suite: ws
/// spends about 400 s of CPU on the 216,000 compressed round trips, on one thread.
/// </summary>
[TestFixture]
[NonParallelizable] // ws is CPU-bound; sharing the cores with other fixtures would only stretch both
[Integration]
public sealed class WsCompressionTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(15);

    private NodeWsEchoServer? _server;
    private IReadOnlyList<CaseResult> _results = [];
    private readonly ConcurrentQueue<string> _log = new();

    [OneTimeSetUp]
    public async Task Run_categories_12_to_14_against_ws_with_deflate()
    {
        _server = await NodeWsEchoServer.StartAsync(deflate: true);
        var cases = CaseSelection.Select(CaseCatalogue.All, ["12.*", "13.*", "14.*"], []);
        using var limit = new CancellationTokenSource(RunLimit);
        var clock = Stopwatch.StartNew();
        _results = await ServerTesting.RunAsync(
            new ServerTestOptions { Plan = RunPlan.ForServers([new ServerTarget("ws (perMessageDeflate)", _server.Url)], cases), Parallel = 8 },
            _ => { }, _log.Enqueue, limit.Token);
        TestContext.Progress.WriteLine($"ws {NodeWs.Version} --deflate at {_server.Url}: {RunSummary.Describe(_results, clock.Elapsed)}");
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
    public void All_216_cases_of_12_and_13_are_OK_case_by_case()
    {
        var selected = CompressionExpectations.Ids(12, 13);
        var differences = VerdictComparison.Differences(CompressionExpectations.WsDeflate, selected, _results.Where(r => r.Category is 12 or 13).Select(ObservedCase.From));

        Assert.That(selected, Has.Length.EqualTo(216));
        Assert.That(differences, Is.Empty, VerdictComparison.Message("ws --deflate, 12/13", differences) + Notes());
        Assert.That(_results.Where(r => r.Category is 12 or 13).Select(r => r.BehaviorReason), Has.All.Contains("equal the messages sent"));
    }

    [Test]
    public void Category_14_gives_the_RFC_verdicts_and_the_known_ws_differences()
    {
        foreach (var r in _results.Where(r => r.Category == 14).OrderBy(r => Conformance.Cases.Scripting.CaseId.Parse(r.CaseId)))
        {
            TestContext.Out.WriteLine($"{r.CaseId,-8} {r.Behavior.Label(),-13} {r.CloseBehavior.Label(),-13} {r.BehaviorReason}");
        }

        var differences = VerdictComparison.Differences(CompressionExpectations.WsDeflate, CompressionExpectations.Ids(14), _results.Where(r => r.Category == 14).Select(ObservedCase.From));

        Assert.That(differences, Is.Empty, VerdictComparison.Message("ws --deflate, 14", differences) + Notes());
    }

    private string Notes()
    {
        string log = _log.IsEmpty ? "" : "\nrun log:\n  " + string.Join("\n  ", _log);
        string errors = _server?.Errors is { Length: > 0 } e ? "\nnode stderr:\n" + e : "";
        return log + errors;
    }
}

/// <summary>
/// The in-process Kestrel echo server with System.Net.WebSockets compression on (its /deflate path): category 14
/// and a slice of 12/13 (every subcategory, sizes 1, 5, 9, 11 and 18: small, 4 KiB, 64 KiB, 8 KiB in 256-octet fragments, 128 KiB in 32 KiB fragments), against RFC 7692 and the investigated
/// differences; and the default path still declines the extension.
/// </summary>
[TestFixture]
[NonParallelizable]
[Integration]
public sealed class KestrelCompressionTests
{
    private static readonly string[] Slice = ["14.*", .. Enumerable.Range(1, 5).Select(j => $"12.{j}.*"), .. Enumerable.Range(1, 7).Select(j => $"13.{j}.*")];
    private static readonly int[] Sizes = [1, 5, 9, 11, 18];

    private KestrelEchoServer? _server;
    private IReadOnlyList<CaseResult> _results = [];
    private readonly ConcurrentQueue<string> _log = new();

    [OneTimeSetUp]
    public async Task Run_the_compression_cases_against_Kestrel_deflate()
    {
        _server = await KestrelEchoServer.StartAsync();
        var cases = CaseSelection.Select(CaseCatalogue.All, Slice, [])
            .Where(c => c.Category == 14 || Sizes.Contains(c.Id.Parts[^1])).ToArray();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var clock = Stopwatch.StartNew();
        _results = await ServerTesting.RunAsync(
            new ServerTestOptions { Plan = RunPlan.ForServers([new ServerTarget("Kestrel /deflate", _server.DeflateUrl)], cases), Parallel = 4 },
            _ => { }, _log.Enqueue, limit.Token);
        TestContext.Progress.WriteLine($"Kestrel at {_server.DeflateUrl}: {RunSummary.Describe(_results, clock.Elapsed)}");
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
    public void The_compression_cases_give_the_RFC_verdicts_and_the_known_differences()
    {
        var selected = _results.Select(r => r.CaseId).ToArray();
        var differences = VerdictComparison.Differences(CompressionExpectations.KestrelDeflate, selected, _results.Select(ObservedCase.From));

        Assert.That(selected, Has.Length.EqualTo(CaseCatalogue.All.Count(c => c.Category == 14) + 12 * Sizes.Length));
        Assert.That(differences, Is.Empty, VerdictComparison.Message("Kestrel /deflate", differences) + Notes());
    }

    [Test]
    public void The_agreement_follows_each_parameter_set_of_13()
    {
        string Agreed(string id) => _results.Single(r => r.CaseId == id).BehaviorReason;

        Assert.That(Agreed("13.1.1"), Does.Contain("agreed 'permessage-deflate; client_no_context_takeover; client_max_window_bits=15'"));
        Assert.That(Agreed("13.2.1"), Does.Contain("server_no_context_takeover"));
        Assert.That(Agreed("13.3.1"), Does.Contain("server_max_window_bits=9"));
        Assert.That(Agreed("13.7.1"), Does.Contain("server_no_context_takeover").And.Contain("server_max_window_bits=9"), "the first of 13.7's three offers");
    }

    [Test]
    public async Task The_default_path_still_declines_permessage_deflate()
    {
        var cases = CaseSelection.Select(CaseCatalogue.All, ["13.1.1", "14.4.1"], []);
        var results = await ServerTesting.RunAsync(
            new ServerTestOptions { Plan = RunPlan.ForServers([new ServerTarget("Kestrel", _server!.Url)], cases), Parallel = 2 }, _ => { }, null, CancellationToken.None);

        Assert.That(results.Select(r => r.Behavior), Is.All.EqualTo(Behavior.Unimplemented));
        Assert.That(results.Select(r => r.HttpResponse), Has.None.Contains("Sec-WebSocket-Extensions"));
    }

    private string Notes() => _log.IsEmpty ? "" : "\nrun log:\n  " + string.Join("\n  ", _log);
}
