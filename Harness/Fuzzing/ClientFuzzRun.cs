using System.Collections.Concurrent;
using System.Globalization;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// The whole of <c>fuzz --client</c>: the client-testing server offers the generated cases (<see cref="ClientRounds"/>),
/// the client plays them in a first round, each result is judged and counted as in the server role; then the findings
/// are confirmed and shrunk through further rounds of reruns (the client is started again, or a served driver comes
/// back), at most <see cref="MaxRerunRounds"/>; then the campaign page and the findings' cases are written (also after Ctrl+C).
/// </summary>
internal static class ClientFuzzRun
{
    /// <summary>Rounds of reruns at most after the campaign's round (each finding needs about MaxShrinkRuns / --parallel + 2).</summary>
    public const int MaxRerunRounds = 200;

    /// <summary>Once a round is over, how long cases still being played may take to end (scaled).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public static async Task<int> ExecuteAsync(CampaignOptions options, ClientRunSettings settings, string agent, string outDir, string commandLine, CancellationToken cancel)
    {
        bool verbose = settings.Testing.Verbose;
        using var logging = CommonOptions.Logging(verbose);
        var logger = logging.CreateLogger("wsconf");
        var facts = new RunFacts(ClientTestingRun.Facts(settings), commandLine);
        var recorder = RunRecorder.Open(RunPlan.ForClients([]), facts, outDir, new ReportSettings(), logger);
        string folder = Path.GetFullPath(outDir);
        var generated = GeneratedCases.For(options);
        using var campaignEnd = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (options.Duration is { } duration)
        {
            campaignEnd.CancelAfter(duration);
        }

        Campaign? campaign = null;
        long observed = 0;
        int signatures = 0;
        var rounds = new ClientRounds(generated, result =>
        {
            var @case = generated.Build(generated.IndexAt(result.CaseIndex - 1), out var origin, out var prediction);
            if (@case.Id.Text != result.CaseId)
            {
                return;
            }

            Interlocked.Increment(ref observed);
            if (campaign!.Observe(origin, @case, prediction, result) && Interlocked.Increment(ref signatures) >= options.StopAfterFindings && options.StopAfterFindings > 0)
            {
                _ = campaignEnd.CancelAsync();
            }
        });
        var kept = new ConcurrentQueue<CaseResult>();
        campaign = new Campaign(options, rounds.RunAsync, new FindingWriter(folder, null, testsClient: true), result =>
        {
            recorder.Record(result);
            kept.Enqueue(result);
        }, line => Console.Out.WriteLine(line));

        ClientRoundDriver? driver = null;
        var testing = settings.Testing with { Plan = RunPlan.ForClients(rounds), SummariesOnly = true, BeforeCaseCount = rounds.BeforeCaseCountAsync };
        ClientTesting server;
        try
        {
            server = ClientTesting.Start(testing, rounds.OnResult, verbose ? line => logger.LogDebug("{Line}", line) : line => logger.LogWarning("{Line}", line),
                _ => driver?.OnUpdateReports() ?? Task.CompletedTask);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new UsageException($"cannot listen on {testing.Address}:{testing.Port}: {e.Message}");
        }

        recorder.Begin();
        string? problem;
        IReadOnlyList<string> agents;
        var settle = settings.Testing.Timers.Scaled(Settle);
        await using (server.ConfigureAwait(false))
        {
            driver = new ClientRoundDriver(settings, server, agent, verbose ? line => logger.LogDebug("client: {Line}", line) : null);
            string shard = options.ShardN > 1 ? $", shard {options.ShardK}/{options.ShardN}" : "";
            string size = options.Count is { } count ? $"{generated.Count} case(s)" : $"{options.Duration!.Value.TotalSeconds:0.#} s";
            Console.Out.WriteLine($"Fuzzing {driver.Who} at {server.BaseUrl}: seed {options.Seed} (generator v{Cases.Fuzzing.FuzzGenerator.Version}), {size}{shard}.");
            Console.Out.WriteLine($"Replay this campaign with --seed {options.Seed}.");
            if (settings.Mode == ClientMode.Serve)
            {
                Console.Out.WriteLine($"Point an Autobahn client driver at {server.BaseUrl} (/getCaseCount, /runCase?case=N&agent=A, /updateReports?agent=A); " +
                    "run it again when a round of reruns is announced. Ctrl+C to stop.");
            }

            using (var progress = new Timer(_ => Console.Out.WriteLine($"  {campaign.Counters.Run} cases, {campaign.CasesPerSecond:0} cases/s, {campaign.Counters.Findings} not passed"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)))
            {
                problem = null;
                await campaign.RunDrivenAsync(async end =>
                {
                    problem = await driver.PlayAsync(() => Interlocked.Read(ref observed) >= generated.Count, end).ConfigureAwait(false);
                    await server.WaitForRunningCasesAsync(cancel.IsCancellationRequested ? TimeSpan.Zero : settle).ConfigureAwait(false);
                }, campaignEnd.Token).ConfigureAwait(false);
                rounds.EndCampaign();
                if (!cancel.IsCancellationRequested)
                {
                    await ConfirmAsync(campaign, rounds, driver, server, settings.Mode, settle, cancel).ConfigureAwait(false);
                }

                rounds.GiveUp();
            }

            agents = server.Agents;
        }

        bool interrupted = cancel.IsCancellationRequested;
        var figures = FuzzRun.Figures(options, campaign, settings.Mode == ClientMode.Embedded, interrupted)
            .Append(new("fuzz-role", "client"))
            .Append(new("fuzz-rerun-rounds", rounds.RerunRounds.ToString(CultureInfo.InvariantCulture)))
            .ToArray();
        string shown = agents.FirstOrDefault() ?? agent;
        CampaignReport.Write(folder, figures, new Dictionary<string, string> { [shown] = server.BaseUrl }, campaign);
        Console.Out.WriteLine(interrupted ? "Interrupted: the report covers the cases that ran." : "");
        Console.Out.WriteLine($"Ran {campaign.Counters.Run} generated case(s) in {campaign.Elapsed.TotalSeconds:0.0} s ({campaign.CasesPerSecond:0} cases/s), " +
            $"{campaign.Counters.Valid} without a violation; {campaign.Counters.Findings} did not pass, {campaign.Findings.Count} finding(s) written to {Path.Combine(folder, "findings")} " +
            $"after {rounds.RerunRounds} round(s) of reruns.");
        foreach (var finding in campaign.Findings)
        {
            Console.Out.WriteLine($"  {finding.Minimal.Id}: {finding.MinimalResult.Behavior.Label()} / {finding.MinimalResult.CloseBehavior.Label()}, {finding.MinimalSteps} action(s): {finding.MinimalResult.BehaviorReason}");
        }

        Console.Out.WriteLine($"Campaign page: {Path.Combine(folder, "fuzz.html")}. Replay the findings with: test-client --cases-from {Path.Combine(folder, "findings")}");
        var results = kept.OrderBy(r => r.CaseId, StringComparer.Ordinal).ToArray();
        int gate = recorder.Finish(results, new ClientEnd(agents, driver.Who, problem, driver.Tail));
        return campaign.Findings.Count > 0 || campaign.Counters.Run == 0 ? ExitCodes.Failed : gate;
    }

    /// <summary>Confirms and shrinks the findings kept, playing a round whenever reruns wait, until all are done (or the rounds run out).</summary>
    private static async Task ConfirmAsync(Campaign campaign, ClientRounds rounds, ClientRoundDriver driver, ClientTesting server, ClientMode mode, TimeSpan settle, CancellationToken cancel)
    {
        using var confirmed = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var confirming = campaign.ConfirmDeferredAsync(cancel);
        var play = PlayRoundsAsync(rounds, driver, server, mode, settle, confirmed.Token, cancel);
        try
        {
            await confirming.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }

        await confirmed.CancelAsync().ConfigureAwait(false);
        rounds.GiveUp();
        await play.ConfigureAwait(false);
    }

    private static async Task PlayRoundsAsync(ClientRounds rounds, ClientRoundDriver driver, ClientTesting server, ClientMode mode, TimeSpan settle, CancellationToken confirmed, CancellationToken cancel)
    {
        while (await rounds.WaitForRerunsAsync(TimeSpan.MaxValue, confirmed).ConfigureAwait(false))
        {
            if (rounds.RerunRounds >= MaxRerunRounds)
            {
                Console.Out.WriteLine($"{MaxRerunRounds} rounds of reruns played: reruns not played yet come back as not played (a finding they would confirm is counted as not reproduced; a shrink stops where it is).");
                rounds.GiveUp();
                return;
            }

            int before = rounds.RerunRounds;
            if (mode == ClientMode.Serve)
            {
                Console.Out.WriteLine($"Round {before + 1} of reruns (confirming and shrinking findings) is waiting: run the client driver again.");
            }

            string? problem = await driver.PlayAsync(() => rounds.RerunRounds > before && rounds.Unplayed == 0, cancel).ConfigureAwait(false);
            await server.WaitForRunningCasesAsync(cancel.IsCancellationRequested ? TimeSpan.Zero : settle).ConfigureAwait(false);
            if (rounds.RerunRounds == before)
            {
                Console.Out.WriteLine($"No client asked for the round of reruns{(problem is null ? "" : $" ({problem})")}: reruns not played yet come back as not played (a finding they would confirm is counted as not reproduced; a shrink stops where it is).");
                rounds.GiveUp();
                return;
            }

            rounds.EndRound();
        }
    }
}
