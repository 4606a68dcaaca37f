using System.Collections.Concurrent;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Fuzzing;

/// <summary>The whole of <c>fuzz --client</c>: the campaign (<see cref="ClientCampaign"/>), then its page and the findings' cases in the ordinary report (also after Ctrl+C).</summary>
internal static class ClientFuzzRun
{
    public static async Task<int> ExecuteAsync(CampaignOptions options, ClientRunSettings settings, string agent, string outDir, string commandLine, CancellationToken cancel)
    {
        bool verbose = settings.Testing.Verbose;
        using var logging = CommonOptions.Logging(verbose);
        var logger = logging.CreateLogger("wsconf");
        var facts = FuzzRun.Facts(options).Concat(ClientTestingRun.Facts(settings)).Append(new("fuzz-role", "client")).ToArray();
        var recorder = RunRecorder.Open(RunPlan.ForClients([]), new RunFacts(facts, commandLine), outDir, new ReportSettings(), logger);
        string folder = Path.GetFullPath(outDir);
        recorder.Begin();
        var kept = new ConcurrentQueue<CaseResult>();
        var outcome = await ClientCampaign.RunAsync(options, settings, agent, folder,
            result =>
            {
                recorder.Record(result);
                kept.Enqueue(result);
            },
            line => Console.Out.WriteLine(line),
            verbose ? line => logger.LogDebug("{Line}", line) : line => logger.LogWarning("{Line}", line),
            cancel).ConfigureAwait(false);

        var campaign = outcome.Campaign;
        bool interrupted = cancel.IsCancellationRequested;
        var report = CampaignReport.Build(options, campaign, settings.Mode == ClientMode.Embedded, interrupted, hasReproductions: true);
        CampaignReport.WriteJson(folder, report);
        Console.Out.WriteLine(interrupted ? "Interrupted: the report covers the cases that ran." : "");
        Console.Out.WriteLine($"Ran {campaign.Counters.Run} generated case(s) in {campaign.Elapsed.TotalSeconds:0.0} s ({campaign.CasesPerSecond:0} cases/s), " +
            $"{campaign.Counters.Valid} without a violation; {campaign.Counters.Findings} did not pass, {campaign.Findings.Count} finding(s) written to {Path.Combine(folder, "findings")} " +
            $"after {outcome.Rounds.RerunRounds} round(s) of reruns.");
        foreach (var finding in campaign.Findings)
        {
            Console.Out.WriteLine($"  {finding.Minimal.Id}: {finding.MinimalResult.Behavior.Label()} / {finding.MinimalResult.CloseBehavior.Label()}, {finding.MinimalSteps} action(s): {finding.MinimalResult.BehaviorReason}");
        }

        if (campaign.Counters.Run == 0)
        {
            Console.Out.WriteLine("The client played none of the generated cases (see below for how it ended).");
        }

        Console.Out.WriteLine($"Campaign page: {Path.Combine(folder, "fuzz.html")}; index.html has the findings and their cases. Replay them with test-client --cases-from {Path.Combine(folder, "findings")}.");
        var results = kept.OrderBy(r => r.CaseId, StringComparer.Ordinal).ToArray();
        // The exit code: the gate's, or 1 with findings or when the client played no case (ReportOutputs).
        return recorder.Finish(results, new ClientEnd(outcome.Agents, outcome.Who, outcome.Problem, outcome.Tail), report);
    }
}
