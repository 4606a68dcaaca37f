using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;

namespace Conformance.Tests.Fuzzing;

/// <summary>Runs a campaign against a server through the real server-testing runner, findings into a temporary folder.</summary>
internal static class Campaigns
{
    /// <param name="stopWhen">Ends the campaign once a finding it accepts is written (checked a few times a second).</param>
    public static async Task<Campaign> RunAsync(Uri url, CampaignOptions options, string outDir, Func<Finding, bool>? stopWhen = null)
    {
        var campaign = new Campaign(options, ServerCaseRun.For(new ServerTarget("target", url), options.Timers), new FindingWriter(outDir, url), null, _ => { });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var running = campaign.RunAsync(timeout.Token);
        while (stopWhen is not null && !running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(200)).ConfigureAwait(false);
            if (campaign.Findings.Any(stopWhen))
            {
                await timeout.CancelAsync().ConfigureAwait(false);
            }
        }

        await running.ConfigureAwait(false);
        return campaign;
    }

    public static string TemporaryFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "wsconf-fuzz-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
