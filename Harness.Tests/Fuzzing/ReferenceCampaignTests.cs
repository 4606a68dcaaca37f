using Conformance.Cases.Fuzzing;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// Campaigns against real implementations we did not write: no FAILED, except the one real defect
/// of System.Net.WebSockets the catalogue also shows (11.1.3: an unmasked client frame is read as if
/// a masking key followed, so it is not refused; RFC 6455 §5.1). A false FAILED is an oracle bug.
/// </summary>
[Integration]
public sealed class ReferenceCampaignTests
{
    [Test]
    public async Task Kestrel_passes_a_campaign_except_for_its_masking_defect()
    {
        await using var server = await KestrelEchoServer.StartAsync();
        var campaign = await Campaigns.RunAsync(server.Url, new CampaignOptions { Seed = 20261204, Count = 2000, Parallel = 8, Timers = new Timers { Scale = 0.5 }, MaxShrinkRuns = 0 }, Campaigns.TemporaryFolder());
        TestContext.Out.WriteLine($"{campaign.Counters.Run} cases, {campaign.CasesPerSecond:0}/s; verdicts: {string.Join(", ", campaign.Counters.Verdicts.Select(v => $"{v.Key}: {v.Value}"))}");
        Assert.Multiple(() =>
        {
            Assert.That(campaign.Counters.Run, Is.EqualTo(2000));
            Assert.That(campaign.Findings.Where(f => !f.Minimal.SubcategoryTitle!.EndsWith(nameof(ViolationClass.Masking), StringComparison.Ordinal)).Select(f => f.Minimal.Id.Text + ": " + f.MinimalResult.BehaviorReason + " / " + f.MinimalResult.CloseReason),
                Is.Empty, "findings other than the known masking defect");
        });
    }

    [Test]
    public async Task Ws_passes_a_campaign()
    {
        await using var server = await NodeWsEchoServer.StartAsync();
        var campaign = await Campaigns.RunAsync(server.Url, new CampaignOptions { Seed = 20261205, Count = 2000, Parallel = 8, Timers = new Timers { Scale = 0.5 }, MaxShrinkRuns = 0 }, Campaigns.TemporaryFolder());
        TestContext.Out.WriteLine($"{campaign.Counters.Run} cases, {campaign.CasesPerSecond:0}/s; verdicts: {string.Join(", ", campaign.Counters.Verdicts.Select(v => $"{v.Key}: {v.Value}"))}");
        Assert.That(campaign.Findings.Select(f => f.Minimal.Id.Text + ": " + f.MinimalResult.BehaviorReason + " / " + f.MinimalResult.CloseReason), Is.Empty);
    }
}
