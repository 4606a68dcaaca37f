using Conformance.Cases.Fuzzing;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Tests.Broken;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// Every deliberately broken server (one violation each) is found by a campaign of at most 10 000
/// cases that is not told where to look, and its finding shrinks to at most 5 actions.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class BrokenServerCampaignTests
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
        yield return Flaw("accepts unmasked frames", new() { AcceptsUnmaskedFrames = true });
        yield return Flaw("drops TCP without a close", new() { DropsTcpWithoutClose = true });
        yield return Flaw("sends an unsolicited message", new() { SendsUnsolicitedMessageAtStart = true });
        yield return Flaw("masks its frames", new() { MasksItsFrames = true });
    }

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
