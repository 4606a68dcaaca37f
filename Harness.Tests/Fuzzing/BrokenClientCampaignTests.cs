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

    private static IEnumerable<(string Name, ScriptedServerOptions Options)> AllFlaws()
    {
        static (string, ScriptedServerOptions) Flaw(string name, ScriptedServerOptions options) => (name, options);
        yield return Flaw("echo corrupts the payload", new() { EchoCorruptsPayload = true });
        yield return Flaw("never pongs", new() { NeverPongs = true });
        yield return Flaw("pong payload differs", new() { PongWrongPayload = true });
        yield return Flaw("accepts RSV bits", new() { AcceptsRsvBits = true });
        yield return Flaw("skips reserved opcodes", new() { AcceptsReservedOpcodes = true });
        yield return Flaw("ignores fragmentation errors", new() { IgnoresFragmentationErrors = true });
        yield return Flaw("accepts invalid UTF-8", new() { AcceptsInvalidUtf8 = true });
        yield return Flaw("fails with 1000", new() { ClosesWithWrongCode = WrongCloseCode.NormalOnProtocolError });
        yield return Flaw("answers a valid close with 1002", new() { ClosesWithWrongCode = WrongCloseCode.ProtocolErrorOnValidClose });
        yield return Flaw("never answers a close", new() { NeverAnswersClose = true });
        yield return Flaw("echoes the first fragment only", new() { EchoesFirstFragmentOnly = true });
        yield return Flaw("truncates messages above 1000 octets", new() { TruncatesLargeMessages = true, TruncateAt = 1000 });
        yield return Flaw("accepts masked frames", new() { AcceptsMaskedFrames = true });
        yield return Flaw("drops TCP without a close", new() { DropsTcpWithoutClose = true });
        yield return Flaw("sends an unsolicited message", new() { SendsUnsolicitedMessageAtStart = true });
        yield return Flaw("sends unmasked frames", new() { SendsUnmaskedFrames = true });
    }

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
