using System.Text.Json;
using Conformance.Cases.Fuzzing;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Tests.Clients;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// fuzz --client with a client command (<c>--exec</c>): a driver of the npm ws client whose echo appends one octet (the
/// scripted client's "echo corrupts the payload" as a command) is found, and the command is started again for every
/// round of reruns that confirms and shrinks the finding.
/// </summary>
[Integration]
public sealed class ExecClientCampaignTests
{
    [Test]
    public async Task A_client_command_is_started_again_for_each_round_of_reruns()
    {
        string moduleDir = await NodeWs.EnsureInstalledAsync();
        string folder = Campaigns.TemporaryFolder();
        string script = Path.Combine(folder, "bad-echo-driver.js");
        string runs = Path.Combine(folder, "runs.log");
        await File.WriteAllTextAsync(script, $$"""
            const fs = require('fs');
            const WebSocket = require({{JsonSerializer.Serialize(Path.Combine(moduleDir, "node_modules", "ws"))}});
            const base = process.argv[2];
            fs.appendFileSync({{JsonSerializer.Serialize(runs)}}, 'run\n');
            const count = new WebSocket(`${base}/getCaseCount`);
            count.on('message', (data) => next(1, parseInt(data.toString(), 10)));
            count.on('error', () => process.exit(1));
            function next(n, total) {
                if (n > total) {
                    const done = new WebSocket(`${base}/updateReports?agent=bad-echo`);
                    done.on('close', () => process.exit(0));
                    done.on('error', () => process.exit(0));
                    return;
                }
                const ws = new WebSocket(`${base}/runCase?case=${n}&agent=bad-echo`);
                ws.on('message', (data, isBinary) => ws.send(Buffer.concat([data, Buffer.from('!')]), { binary: isBinary }));
                ws.on('error', () => {});
                ws.on('close', () => next(n + 1, total));
            }
            """);
        // Seed 1: its first case has no control frame with a non-minimal length, which ws refuses (tolerated) in a race with the tester's close.
        var options = new CampaignOptions { Seed = 1, Count = 2000, Parallel = 8, StopAfterFindings = 1, Timers = new Timers { Scale = 0.5 }, MaxShrinkRuns = 80 };

        var (outcome, lines) = await ClientCampaigns.RunAsync(options, folder, exec: $"node {ClientRuns.Quote(script)} {ClientRuns.Env("WSCONF_URL")}");

        var finding = outcome.Campaign.Findings.FirstOrDefault(f => f.Shrunk);
        Assert.That(finding, Is.Not.Null, string.Join("\n", lines) + "\n" + string.Join("\n", outcome.Tail));
        TestContext.Out.WriteLine($"{finding!.Signature}: {finding.MinimalSteps} action(s) after {finding.Shrink.Runs} reruns in {outcome.Rounds.RerunRounds} rounds\n{ClientCampaigns.Describe(finding)}");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Signature, Does.Contain("differs"));
            Assert.That(finding.MinimalSteps, Is.LessThanOrEqualTo(5).And.LessThan(FuzzCase.ActionsOf(finding.Original).Count), "shrunk through the rounds");
            Assert.That(FindingSignature.Of(finding.MinimalResult), Is.EqualTo(finding.Signature));
            Assert.That(outcome.Rounds.RerunRounds, Is.GreaterThanOrEqualTo(2), "a confirming round and shrinking rounds");
            Assert.That(File.ReadAllLines(runs), Has.Length.EqualTo(1 + outcome.Rounds.RerunRounds), "the command ran once for the campaign and once per round of reruns");
            Assert.That(outcome.Agents, Is.EqualTo(new[] { "bad-echo" }));
        });
    }
}
