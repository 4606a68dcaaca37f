using Conformance.Cases.Fuzzing;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Tests.Broken;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// Every deliberately broken server (one violation each) is found by a campaign of at most 10 000
/// cases that is not told where to look, and its finding shrinks to at most 5 actions.
/// </summary>
[Integration]
[Parallelizable(ParallelScope.Children)]
public sealed class BrokenServerCampaignTests
{
    private const int MaxCases = 10_000;
    private const int MaxMinimalActions = 5;

    private static readonly Dictionary<string, ScriptedServerOptions> ByName = AllFlaws().ToDictionary(f => f.Name, f => f.Options);

    private static IEnumerable<string> Flaws() => ByName.Keys;

    private static IEnumerable<(string Name, ScriptedServerOptions Options)> AllFlaws() =>
        EchoFlaws.BothRoles().Concat([
            ("accepts unmasked frames", new ScriptedServerOptions { AcceptsUnmaskedFrames = true }),
            ("masks its frames", new ScriptedServerOptions { MasksItsFrames = true }),
        ]);

    [TestCaseSource(nameof(Flaws))]
    public async Task Campaign_finds_and_shrinks(string flaw)
    {
        await using var server = ScriptedServer.Start(ByName[flaw]);
        string folder = Campaigns.TemporaryFolder();
        var options = new CampaignOptions { Seed = 2026, Count = MaxCases, Parallel = 6, StopAfterFindings = 1, Timers = new Timers { Scale = 0.5 }, MaxShrinkRuns = 120 };
        var campaign = await Campaigns.RunAsync(server.Url, options, folder);

        Assert.That(campaign.Findings.Where(f => f.Shrunk), Is.Not.Empty, $"nothing found in {campaign.Counters.Run} cases");
        var finding = campaign.Findings.First(f => f.Shrunk);
        TestContext.Out.WriteLine($"found after {campaign.Counters.Run} cases: {finding.Signature}; {FuzzCase.ActionsOf(finding.Original).Count} -> {finding.MinimalSteps} actions in {finding.Shrink.Runs} reruns");
        foreach (var step in FuzzCase.ActionsOf(finding.Minimal))
        {
            TestContext.Out.WriteLine("  " + step.Describe());
        }

        Assert.Multiple(() =>
        {
            Assert.That(finding.MinimalSteps, Is.LessThanOrEqualTo(MaxMinimalActions), "minimal script");
            Assert.That(FindingSignature.Of(finding.MinimalResult), Is.EqualTo(finding.Signature), "the minimal case fails the same way");
            Assert.That(File.Exists(Path.Combine(folder, "findings", finding.FileStem + ".json")));
            Assert.That(File.Exists(Path.Combine(folder, "findings", finding.FileStem + ".py")));
            Assert.That(server.Errors, Is.Empty, "the scripted server itself threw");
        });
    }

    [Test]
    public async Task A_finding_replays_from_its_file_with_the_same_verdict()
    {
        await using var server = ScriptedServer.Start(new ScriptedServerOptions { AcceptsRsvBits = true });
        string folder = Campaigns.TemporaryFolder();
        var timers = new Timers { Scale = 0.5 };
        var campaign = await Campaigns.RunAsync(server.Url, new CampaignOptions { Seed = 11, Count = 2000, Parallel = 4, StopAfterFindings = 1, Timers = timers, MaxShrinkRuns = 60 }, folder);
        Assert.That(campaign.Findings, Is.Not.Empty);

        var replayed = FindingFile.ReadFolder(Path.Combine(folder, "findings"));
        Assert.That(replayed.Select(c => c.Id), Is.EquivalentTo(campaign.Findings.Select(f => f.Minimal.Id)), "one case per finding file");
        var run = ServerCaseRun.For(new ServerTarget("target", server.Url), timers);
        foreach (var finding in campaign.Findings.Where(f => f.Shrunk))
        {
            var @case = replayed.Single(c => c.Id.Equals(finding.Minimal.Id));
            Assert.That(FuzzCase.ActionsOf(@case).Select(a => a.Describe()), Is.EqualTo(FuzzCase.ActionsOf(finding.Minimal).Select(a => a.Describe())), "the same script");
            var result = await run(@case, 1, CancellationToken.None);
            Assert.That((result.Behavior, result.CloseBehavior, FindingSignature.Of(result)), Is.EqualTo((finding.MinimalResult.Behavior, finding.MinimalResult.CloseBehavior, finding.Signature)), @case.Id.Text);
        }
    }
}
