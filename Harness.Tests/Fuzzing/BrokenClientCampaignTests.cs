using Conformance.Cases.Fuzzing;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Tests.Broken;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// fuzz --client: every deliberately broken client (the scripted client with one flaw each, the client-role mirror of
/// <see cref="BrokenServerCampaignTests"/>) is found by a campaign of at most 10 000 cases that is not told where to
/// look, its finding is confirmed and shrunk to at most 5 actions through rounds of reruns the client plays, and the
/// finding file replays (test-client --cases-from) with the same verdict.
/// </summary>
[Parallelizable(ParallelScope.Children)]
[Integration]
public sealed class BrokenClientCampaignTests
{
    private const int MaxCases = 10_000;
    private const int MaxMinimalActions = 5;

    private static readonly Dictionary<string, ScriptedServerOptions> ByName = AllFlaws().ToDictionary(f => f.Name, f => f.Options);

    private static IEnumerable<string> Flaws() => ByName.Keys;

    private static IEnumerable<(string Name, ScriptedServerOptions Options)> AllFlaws() =>
        EchoFlaws.BothRoles().Concat([
            ("accepts masked frames", new ScriptedServerOptions { AcceptsMaskedFrames = true }),
            ("sends unmasked frames", new ScriptedServerOptions { SendsUnmaskedFrames = true }),
        ]);

    [TestCaseSource(nameof(Flaws))]
    public async Task Campaign_finds_shrinks_and_the_finding_replays(string flaw)
    {
        string folder = Campaigns.TemporaryFolder();
        var timers = new Timers { Scale = 0.5 };
        var options = new CampaignOptions { Seed = 2026, Count = MaxCases, Parallel = 6, StopAfterFindings = 1, Timers = timers, MaxShrinkRuns = 120 };
        var client = ClientCampaigns.Scripted(ByName[flaw]);

        var (outcome, lines) = await ClientCampaigns.RunAsync(options, folder, client);

        var campaign = outcome.Campaign;
        Assert.That(campaign.Findings.Where(f => f.Shrunk), Is.Not.Empty, $"nothing found in {campaign.Counters.Run} cases:\n" + string.Join("\n", lines));
        var finding = campaign.Findings.First(f => f.Shrunk);
        TestContext.Out.WriteLine($"found after {campaign.Counters.Run} cases: {finding.Signature}; {FuzzCase.ActionsOf(finding.Original).Count} -> {finding.MinimalSteps} actions " +
            $"in {finding.Shrink.Runs} reruns, {outcome.Rounds.RerunRounds} rounds of reruns\n{ClientCampaigns.Describe(finding)}");
        Assert.Multiple(() =>
        {
            Assert.That(finding.MinimalSteps, Is.LessThanOrEqualTo(MaxMinimalActions), "minimal script");
            Assert.That(FindingSignature.Of(finding.MinimalResult), Is.EqualTo(finding.Signature), "the minimal case fails the same way");
            Assert.That(finding.MinimalResult.TesterIsServer, Is.True);
            Assert.That(File.Exists(Path.Combine(folder, "findings", finding.FileStem + ".json")));
            Assert.That(File.ReadAllText(Path.Combine(folder, "findings", finding.FileStem + ".py")), Does.Contain("listener.accept()"), "the reproduction is a server");
        });

        var replayed = await ClientCampaigns.ReplayAsync(Path.Combine(folder, "findings"), client, timers);
        var again = replayed[finding.Minimal.Id.Text];
        Assert.That((again.Behavior, again.CloseBehavior, FindingSignature.Of(again)), Is.EqualTo((finding.MinimalResult.Behavior, finding.MinimalResult.CloseBehavior, finding.Signature)), again.BehaviorReason);
    }
}
