using Conformance.Harness.Fuzzing;
using Conformance.Harness.Roles;

namespace Conformance.Tests.Fuzzing;

/// <summary>Runs a campaign against a server through the real server-testing runner, findings into a temporary folder.</summary>
internal static class Campaigns
{
    public static async Task<Campaign> RunAsync(Uri url, CampaignOptions options, string outDir)
    {
        var runner = new ServerCaseRunner(options.Timers, verbose: false, echo: null);
        var target = new ServerTarget("target", url);
        var campaign = new Campaign(options, (c, i, token) => runner.RunAsync(target, c, i, token), new FindingWriter(outDir, url), null, _ => { });
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
