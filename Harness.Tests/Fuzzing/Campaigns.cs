using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;

namespace Conformance.Tests.Fuzzing;

/// <summary>Runs a campaign against a server through the real server-testing runner, findings into a temporary folder.</summary>
internal static class Campaigns
{
    public static async Task<Campaign> RunAsync(Uri url, CampaignOptions options, string outDir)
    {
        var campaign = new Campaign(options, ServerCaseRun.For(new ServerTarget("target", url), options.Timers), new FindingWriter(outDir, url), null, _ => { });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await campaign.RunAsync(timeout.Token).ConfigureAwait(false);
        return campaign;
    }

    public static string TemporaryFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "wsconf-fuzz-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
