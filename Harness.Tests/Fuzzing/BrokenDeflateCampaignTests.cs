using Conformance.Cases.Fuzzing;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Compression;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// <c>fuzz --deflate</c> against the tests' permessage-deflate echo server: sound, it passes; with one
/// permessage-deflate rule broken, a campaign not told where to look finds it and shrinks it to at most 5 actions,
/// and <c>test-server --cases-from</c> replays the finding with the same verdict.
/// </summary>
[Integration]
[NonParallelizable]
public sealed class BrokenDeflateCampaignTests
{
    private const int MaxMinimalActions = 5;

    private static CampaignOptions Options(int count) =>
        new() { Seed = 2026, Count = count, Parallel = 6, StopAfterFindings = 1, Timers = new Timers { Scale = 0.5 }, MaxShrinkRuns = 120, Deflate = true };

    [Test]
    public async Task The_sound_deflate_server_passes()
    {
        await using var server = DeflateEchoServer.Start();
        var campaign = await Campaigns.RunAsync(server.Url, Options(300) with { StopAfterFindings = 0, MaxShrinkRuns = 0 }, Campaigns.TemporaryFolder());
        Assert.Multiple(() =>
        {
            Assert.That(campaign.Counters.Run, Is.EqualTo(300));
            Assert.That(campaign.Counters.Findings, Is.Zero, string.Join("\n", campaign.Findings.Select(f => $"{f.Original.Id}: {f.Signature}: {f.OriginalResult.BehaviorReason}")));
            Assert.That(server.Errors, Is.Empty);
        });
    }

    [TestCase(DeflateFault.IgnoresRsv1OnControlFrames)]
    [TestCase(DeflateFault.KeepsContext)]
    public async Task A_campaign_finds_shrinks_and_replays_the_broken_rule(DeflateFault fault)
    {
        await using var server = DeflateEchoServer.Start(fault);
        string folder = Campaigns.TemporaryFolder();
        var campaign = await Campaigns.RunAsync(server.Url, Options(3000), folder);

        var finding = campaign.Findings.FirstOrDefault(f => f.Shrunk);
        Assert.That(finding, Is.Not.Null, $"nothing found in {campaign.Counters.Run} cases");
        TestContext.Out.WriteLine($"found after {campaign.Counters.Run} cases: {finding!.Signature}; {FuzzCase.ActionsOf(finding.Original).Count} -> {finding.MinimalSteps} actions");
        FuzzCase.ActionsOf(finding.Minimal).ToList().ForEach(a => TestContext.Out.WriteLine("  " + a.Describe()));
        Assert.Multiple(() =>
        {
            Assert.That(finding.MinimalSteps, Is.LessThanOrEqualTo(MaxMinimalActions), "minimal script");
            Assert.That(finding.Minimal.Deflate, Is.Not.Null, "the minimal case keeps its offer");
            Assert.That(FindingSignature.Of(finding.MinimalResult), Is.EqualTo(finding.Signature));
        });

        var replay = await CliRunner.RunAsync("test-server", server.Url.ToString(), "--cases-from", Path.Combine(folder, "findings"), "--out", Path.Combine(folder, "replay"), "--timeout-scale", "0.5");
        Assert.Multiple(() =>
        {
            Assert.That(replay.Exit, Is.EqualTo(1), replay.ToString());
            Assert.That(replay.Out, Does.Contain(finding.Minimal.Id.Text), replay.ToString());
            string caseJson = File.ReadAllText(Directory.EnumerateFiles(Path.Combine(folder, "replay"), $"*case_{finding.Minimal.Id.FileToken}.json").Single());
            Assert.That(caseJson, Does.Contain(finding.MinimalResult.Behavior.Label()), "the same verdict when replayed");
        });
    }
}
