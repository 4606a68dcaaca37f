using System.Collections.Concurrent;
using System.Globalization;
using Conformance.Cases.Catalogue;
using Conformance.Cases.Fuzzing;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Microsoft.Extensions.Logging;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Harness.Fuzzing;

/// <summary>The whole of <c>fuzz</c> against a server: preflight, campaign, findings, report (also after Ctrl+C).</summary>
internal static class FuzzRun
{
    public static async Task<int> ExecuteAsync(CampaignOptions options, ServerTarget target, bool embedded, string outDir, string commandLine, bool verbose, CancellationToken cancel)
    {
        await ServerTesting.PreflightAsync(target.Url, options.Timers.Scaled(options.Timers.OpenHandshake), cancel).ConfigureAwait(false);
        using var logging = CommonOptions.Logging(verbose);
        var recorder = RunRecorder.Open(RunPlan.ForServer(target, []), new RunFacts(Facts(options), commandLine), outDir, new ReportSettings(), logging.CreateLogger("wsconf"));
        string folder = Path.GetFullPath(outDir);

        string shard = options.ShardN > 1 ? $", shard {options.ShardK}/{options.ShardN}" : "";
        string size = options.Count is { } count ? $"{count} case(s)" : $"{options.Duration!.Value.TotalSeconds:0.#} s";
        Console.Out.WriteLine($"Fuzzing {target.Agent} at {target.Url}: seed {options.Seed} (generator v{FuzzGenerator.VersionFor(options.Deflate)}{(options.Deflate ? ", permessage-deflate offered" : "")}), {size}{shard}, {options.Parallel} at once.");
        Console.Out.WriteLine($"Replay this campaign with --seed {options.Seed}.");

        var kept = new ConcurrentQueue<CaseResult>();
        var campaign = new Campaign(options, ServerCaseRun.For(target, options.Timers, verbose, verbose ? Console.Error.WriteLine : null), new FindingWriter(folder, target.Url),
            result =>
            {
                recorder.Record(result);
                kept.Enqueue(result);
            },
            line => Console.Out.WriteLine(line));
        using (var progress = new Timer(_ => Console.Out.WriteLine($"  {campaign.Counters.Run} cases, {campaign.CasesPerSecond:0} cases/s, {campaign.Counters.Findings} not passed"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)))
        {
            await campaign.RunAsync(cancel).ConfigureAwait(false);
        }

        var report = CampaignReport.Build(options, campaign, embedded, cancel.IsCancellationRequested, hasReproductions: true);
        CampaignReport.WriteJson(folder, report);
        Console.Out.WriteLine(cancel.IsCancellationRequested ? "Interrupted: the report covers the cases that ran." : "");
        Console.Out.WriteLine($"Ran {campaign.Counters.Run} generated case(s) in {campaign.Elapsed.TotalSeconds:0.0} s ({campaign.CasesPerSecond:0} cases/s), " +
            $"{campaign.Counters.Valid} without a violation; {campaign.Counters.Findings} did not pass, {campaign.Findings.Count} finding(s) written to {Path.Combine(folder, "findings")}.");
        if (options.Deflate && campaign.Counters.Verdicts.Where(v => v.Key.StartsWith("UNIMPLEMENTED", StringComparison.Ordinal)).Sum(v => v.Value) is > 0 and var declined)
        {
            Console.Out.WriteLine($"{declined} case(s) UNIMPLEMENTED: the server declined their permessage-deflate offer (see the case pages for what it answered).");
        }

        foreach (var finding in campaign.Findings)
        {
            Console.Out.WriteLine($"  {finding.Minimal.Id}: {finding.MinimalResult.Behavior.Label()} / {finding.MinimalResult.CloseBehavior.Label()}, {finding.MinimalSteps} action(s): {finding.MinimalResult.BehaviorReason}");
        }

        Console.Out.WriteLine($"Campaign page: {Path.Combine(folder, "fuzz.html")}; index.html has the findings and the findings' cases (as generated and as shrunk).");
        var results = kept.OrderBy(r => r.CaseId, StringComparer.Ordinal).ToArray();
        // The exit code: the gate's, or 1 with findings or when no case was played (ReportOutputs).
        return recorder.Finish(results, campaign: report);
    }

    /// <summary>The campaign's options as the report's run facts list them.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Facts(CampaignOptions options) =>
    [
        new("fuzz-seed", options.Seed.ToString(CultureInfo.InvariantCulture)),
        new("fuzz-generator", FuzzGenerator.VersionFor(options.Deflate).ToString(CultureInfo.InvariantCulture)),
        new("fuzz-shard", $"{options.ShardK}/{options.ShardN}"),
        new("fuzz-size", options.Count is { } count ? $"{count} case(s)" : $"{options.Duration!.Value.TotalSeconds:0.#} s"),
        new("parallel", options.Parallel.ToString(CultureInfo.InvariantCulture)),
        new("timeout-scale", options.Timers.Scale.ToString(CultureInfo.InvariantCulture)),
    ];
}
