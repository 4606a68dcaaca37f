using System.Diagnostics;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Integration;

/// <summary>
/// The harness against Debian's python3-websockets as an echo server, compared case by case with
/// websockets' published conformance notes (see <see cref="PublishedResults.PythonWebsockets"/>).
/// </summary>
[TestFixture]
[Integration]
public class PythonWebsocketsServerTests
{
    [Test]
    public async Task Categories_1_to_7_9_and_10_match_the_published_websockets_notes()
    {
        await using var server = await PythonWebsocketsServer.StartAsync();
        var expected = PublishedResults.PythonWebsockets;
        var cases = Catalogue.All.Where(c => expected.PublishedCategories.Contains(c.Category)).ToArray();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var clock = Stopwatch.StartNew();
        var results = await ServerTesting.RunAsync(
            new ServerTestOptions { Plan = RunPlan.ForServers([new ServerTarget(PythonWebsocketsServer.Agent, server.Url)], cases), Parallel = 4 },
            _ => { },
            null,
            limit.Token);
        TestContext.Progress.WriteLine($"python3-websockets at {server.Url}: {RunSummary.Describe(results, clock.Elapsed)}");

        var differences = VerdictComparison.Differences(expected, cases.Select(c => c.Id.Text), results.Select(ObservedCase.From));
        Assert.That(differences, Is.Empty, VerdictComparison.Message($"python3-websockets vs {expected.Source}", differences));
    }
}
