using System.Text.Json.Nodes;
using Conformance.Harness.Targets;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Running;

/// <summary>
/// <c>--rerun-failed DIR</c>: a first run against the embedded echo server writes a results folder; in it one
/// case is made FAILED and one selected case loses its result; the rerun (test-server, then test-client)
/// plays exactly those two into a fresh folder, and a folder where everything passed leaves nothing to rerun.
/// </summary>
[NonParallelizable]
public sealed class RerunFailedTests
{
    private string _work = "";

    [SetUp]
    public void CreateFolder() => _work = Directory.CreateTempSubdirectory("wsconf-rerun-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Only_the_cases_that_did_not_pass_run_again_in_both_roles()
    {
        await using var server = await KestrelEchoServer.StartAsync();
        string url = server.Url.ToString();
        string first = Path.Combine(_work, "first");
        Assert.That(await Run(["test-server", url, "--cases", "1.1.*", "--out", first]), Is.Zero);

        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(first, "index.json")))!.AsObject();
        var cases = index.Single().Value!.AsObject();
        cases["1.1.2"]!["behavior"] = "FAILED";
        cases["1.1.4"]!["behaviorClose"] = "UNCLEAN";
        cases["1.1.6"]!["behavior"] = "INFORMATIONAL";
        cases.Remove("1.1.5"); // selected (wsconf-run.json) but without a result
        File.WriteAllText(Path.Combine(first, "index.json"), index.ToJsonString());

        string again = Path.Combine(_work, "again");
        Assert.That(await Run(["test-server", url, "--rerun-failed", first, "--out", again]), Is.Zero);
        Assert.That(CaseIds(again), Is.EqualTo(new[] { "1.1.2", "1.1.4", "1.1.5" }));

        string clients = Path.Combine(_work, "clients");
        Assert.That(await Run(["test-client", "--rerun-failed", first, "--cases", "1.1.1,1.1.2,1.1.5", "--out", clients]), Is.Zero);
        Assert.That(CaseIds(clients), Is.EqualTo(new[] { "1.1.2", "1.1.5" }), "--cases narrows the rerun further");

        var console = await CliRunner.RunAsync(["test-server", url, "--rerun-failed", again, "--out", Path.Combine(_work, "nothing")]);
        Assert.That(console.Exit, Is.EqualTo(2));
        Assert.That(console.ErrorLines, Is.EqualTo(new[] { $"error: --rerun-failed: nothing to rerun, every selected case passed in '{again}'" }));
    }

    [Test]
    public async Task A_folder_without_results_is_a_usage_error()
    {
        var console = await CliRunner.RunAsync(["test-server", "ws://127.0.0.1:9", "--rerun-failed", _work]);

        Assert.That(console.Exit, Is.EqualTo(2));
        Assert.That(console.ErrorLines, Has.Count.EqualTo(1));
        Assert.That(console.ErrorLines[0], Does.StartWith($"error: --rerun-failed '{_work}': "));
    }

    private static async Task<int> Run(string[] args)
    {
        var run = await CliRunner.RunAsync(args);
        if (run.Exit != 0)
        {
            TestContext.Out.WriteLine(run.Out + run.Error);
        }

        return run.Exit;
    }

    private static string[] CaseIds(string folder)
    {
        string file = Directory.GetFiles(folder, "index.json", SearchOption.AllDirectories).Single();
        return JsonNode.Parse(File.ReadAllText(file))!.AsObject().SelectMany(agent => agent.Value!.AsObject().Select(c => c.Key)).Order().ToArray();
    }
}
