using Conformance.Harness.Cli;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Tests.Broken;
using Conformance.Tests.Clients;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// fuzz --client against conformant clients we did not write (.NET's ClientWebSocket in-process, the npm ws client
/// through its Autobahn driver and --exec) and our sound scripted client: a few hundred generated cases, no finding
/// (a FAILED that its rerun does not reproduce, a timer on a loaded machine, is not one).
/// </summary>
[Integration]
public sealed class ReferenceClientCampaignTests
{
    private const int Cases = 300;

    private static CampaignOptions Options(ulong seed) => new() { Seed = seed, Count = Cases, Parallel = 6, Timers = new Timers(), MaxShrinkRuns = 40 };

    private static void AssertClean(ClientCampaignOutcome outcome, IReadOnlyList<string> lines)
    {
        var campaign = outcome.Campaign;
        string shown = string.Join("\n", lines) + "\n" + string.Join("\n", campaign.Findings.Select(f => $"{f.Minimal.Id} {f.Signature}: {f.MinimalResult.BehaviorReason} | {f.MinimalResult.CloseReason}\n{ClientCampaigns.Describe(f)}"));
        Assert.That(campaign.Counters.Run, Is.EqualTo(Cases), shown);
        TestContext.Out.WriteLine($"{campaign.Counters.Run} cases, {campaign.CasesPerSecond:0}/s; verdicts: {string.Join(", ", campaign.Counters.Verdicts.Select(v => $"{v.Key}: {v.Value}"))}; not reproduced: {campaign.Unreproduced}");
        Assert.That(campaign.Findings, Is.Empty, shown); // a case that fails once under load and passes its rerun is not a finding
        Assert.That(campaign.Counters.Valid, Is.GreaterThanOrEqualTo(Cases / 2), "at least half of the cases plant no violation");
    }

    [Test]
    public async Task ClientWebSocket_in_process_passes_every_generated_case()
    {
        var (outcome, lines) = await ClientCampaigns.RunAsync(Options(1), Campaigns.TemporaryFolder());

        AssertClean(outcome, lines);
        Assert.That(outcome.Agents, Is.EqualTo(new[] { "client" }));
    }

    [Test]
    public async Task The_sound_scripted_client_passes_every_generated_case()
    {
        var (outcome, lines) = await ClientCampaigns.RunAsync(Options(2), Campaigns.TemporaryFolder(), ClientCampaigns.Scripted(new ScriptedServerOptions()));

        AssertClean(outcome, lines);
    }

    [Test]
    public async Task The_ws_client_through_its_Autobahn_driver_passes_every_generated_case()
    {
        string moduleDir = await NodeWs.EnsureInstalledAsync();
        string driver = Path.Combine(AppContext.BaseDirectory, "ws-client-driver.js");
        string exec = $"node {ClientRuns.Quote(driver)} {ClientRuns.Env("WSCONF_URL")} ws-client {ClientRuns.Quote(moduleDir)}";

        var (outcome, lines) = await ClientCampaigns.RunAsync(Options(3), Campaigns.TemporaryFolder(), exec: exec);

        AssertClean(outcome, lines);
        Assert.That(outcome.Agents, Is.EqualTo(new[] { "ws-client" }));
        Assert.That(outcome.Problem, Is.Null, string.Join("\n", outcome.Tail));
    }
}
