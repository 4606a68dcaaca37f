using System.Text.Json;
using Conformance.Cases.Fuzzing;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Cli;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Broken;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// Issue 11's "done when", as a new user would try it: a server with a bug that no catalogue case exercises
/// (it loses the half of a code point split across fragments when a ping arrives between them) passes the
/// catalogue; a campaign not told where to look finds it, shrinks it, writes the finding and its reproduction,
/// and <c>test-server --cases-from</c> replays it with the same verdict.
/// </summary>
[NonParallelizable]
[Integration]
public sealed class UncataloguedBugTests
{
    private static readonly ScriptedServerOptions Flaw = new() { ForgetsSplitCodePointOnControlFrame = true };

    [Test]
    public async Task The_catalogue_misses_it()
    {
        await using var server = ScriptedServer.Start(Flaw);
        var results = await Runs.CasesAsync(server, ["1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*"], new Timers { Scale = 0.5 });
        var failed = results.Values.Where(r => r.Behavior == Behavior.Failed || r.CloseBehavior is CloseBehavior.Failed or CloseBehavior.Unclean or CloseBehavior.WrongCode).ToArray();
        Assert.That(failed.Select(Runs.Describe), Is.Empty, "if a catalogue case catches this flaw, the demonstration needs a bug the catalogue misses");
    }

    [Test]
    public async Task A_campaign_finds_it_and_the_finding_replays_through_the_command_line()
    {
        await using var server = ScriptedServer.Start(Flaw);
        string folder = Campaigns.TemporaryFolder();
        var campaign = await Campaigns.RunAsync(server.Url, new CampaignOptions { Seed = 7, Count = 10_000, Parallel = 6, StopAfterFindings = 1, MaxShrinkRuns = 120 }, folder);
        var finding = campaign.Findings.FirstOrDefault(f => f.Shrunk);
        Assert.That(finding, Is.Not.Null, $"nothing found in {campaign.Counters.Run} cases");
        TestContext.Out.WriteLine($"found after {campaign.Counters.Run} cases: {finding!.Signature}; {FuzzCase.ActionsOf(finding.Original).Count} -> {finding.MinimalSteps} actions");
        FuzzCase.ActionsOf(finding.Minimal).ToList().ForEach(a => TestContext.Out.WriteLine("  " + a.Describe()));
        Assert.Multiple(() =>
        {
            Assert.That(finding.MinimalSteps, Is.LessThanOrEqualTo(5));
            Assert.That(FuzzCase.ActionsOf(finding.Minimal).OfType<SendFrame>().Any(s => s.Frame.Opcode == Opcode.Ping), "the minimal case keeps the ping that triggers the flaw");
            Assert.That(File.Exists(Path.Combine(folder, "findings", finding.FileStem + ".py")), "the reproduction");
        });

        string replay = Campaigns.TemporaryFolder();
        var run = await CliRunner.RunAsync("test-server", server.Url.ToString(), "--agent", "flawed", "--cases-from", Path.Combine(folder, "findings"), "--out", replay);
        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Failed), run.ToString());
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(replay, "index.json")));
        var replayed = index.RootElement.GetProperty("flawed").GetProperty(finding.Minimal.Id.Text);
        Assert.That((replayed.GetProperty("behavior").GetString(), replayed.GetProperty("behaviorClose").GetString()),
            Is.EqualTo((finding.MinimalResult.Behavior.Label(), finding.MinimalResult.CloseBehavior.Label())), "the same verdicts as in the campaign");
    }
}
