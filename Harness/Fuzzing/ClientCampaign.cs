using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;

namespace Conformance.Harness.Fuzzing;

/// <summary>How a client campaign went, for its report: the campaign, the rounds, who came, how the client ended.</summary>
internal sealed record ClientCampaignOutcome(Campaign Campaign, ClientRounds Rounds, IReadOnlyList<string> Agents, string Who, string BaseUrl, string? Problem, IReadOnlyList<string> Tail);

/// <summary>
/// A fuzzing campaign against a client: the client-testing server offers the generated cases
/// (<see cref="ClientRounds"/>), the client plays them in a first round, each result is judged and counted as in
/// the server role; then the findings are confirmed and shrunk through further rounds of reruns (the client is
/// started again, or a served driver comes back), at most <see cref="MaxRerunRounds"/>.
/// </summary>
internal static class ClientCampaign
{
    /// <summary>Rounds of reruns at most after the campaign's round (one finding needs about MaxShrinkRuns / --parallel + 2).</summary>
    public const int MaxRerunRounds = 200;

    /// <summary>Once a round is over, how long cases still being played may take to end (scaled).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    /// <param name="record">Called with the results of the findings' cases (as generated and as shrunk).</param>
    /// <param name="say">The campaign's lines for the console.</param>
    /// <param name="embedded">For <see cref="ClientMode.Embedded"/>: the driver to run each round with (default: .NET's ClientWebSocket).</param>
    public static async Task<ClientCampaignOutcome> RunAsync(CampaignOptions options, ClientRunSettings settings, string agent, string folder, Action<CaseResult>? record,
        Action<string> say, Action<string>? log, CancellationToken cancel, Func<Uri, CancellationToken, Task>? embedded = null)
    {
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
            if (campaignEnd.IsCancellationRequested)
            {
                return; // a case cut short by the end of the round (the client was stopped) says nothing about the client
            }

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
        campaign = new Campaign(options, rounds.RunAsync, new FindingWriter(folder, null, testsClient: true), record, say);

        ClientRoundDriver? driver = null;
        var testing = settings.Testing with { Plan = RunPlan.ForClients(rounds), SummariesOnly = true, KeepResults = false, BeforeCaseCount = rounds.BeforeCaseCountAsync };
        ClientTesting server;
        try
        {
            server = ClientTesting.Start(testing, rounds.OnResult, log, _ => driver?.OnUpdateReports() ?? Task.CompletedTask);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new UsageException($"cannot listen on {testing.Address}:{testing.Port}: {e.Message}");
        }

        string? problem = null;
        var settle = settings.Testing.Timers.Scaled(Settle);
        await using (server.ConfigureAwait(false))
        {
            driver = new ClientRoundDriver(settings, server, agent, settings.Testing.Verbose ? log : null, embedded);
            string shard = options.ShardN > 1 ? $", shard {options.ShardK}/{options.ShardN}" : "";
            string size = options.Count is not null ? $"{generated.Count} case(s)" : $"{options.Duration!.Value.TotalSeconds:0.#} s";
            say($"Fuzzing {driver.Who} at {server.BaseUrl}: seed {options.Seed} (generator v{Cases.Fuzzing.FuzzGenerator.Version}), {size}{shard}.");
            say($"Replay this campaign with --seed {options.Seed}.");
            if (settings.Mode == ClientMode.Serve)
            {
                say($"Point an Autobahn client driver at {server.BaseUrl} (/getCaseCount, /runCase?case=N&agent=A, /updateReports?agent=A); run it again when a round of reruns is announced. Ctrl+C to stop.");
            }

            using (new Timer(_ => say($"  {campaign.Counters.Run} cases, {campaign.CasesPerSecond:0} cases/s, {campaign.Counters.Findings} not passed"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)))
            {
                await campaign.RunDrivenAsync(async end =>
                {
                    problem = await driver.PlayAsync(() => Interlocked.Read(ref observed) >= generated.Count, end).ConfigureAwait(false);
                    await server.WaitForRunningCasesAsync(cancel.IsCancellationRequested ? TimeSpan.Zero : settle).ConfigureAwait(false);
                }, campaignEnd.Token).ConfigureAwait(false);
                rounds.EndCampaign();
                if (!cancel.IsCancellationRequested)
                {
                    await ConfirmAsync(campaign, rounds, driver, server, settings, settle, say, cancel).ConfigureAwait(false);
                }

                rounds.GiveUp();
            }

            return new ClientCampaignOutcome(campaign, rounds, server.Agents, driver.Who, server.BaseUrl, problem, driver.Tail);
        }
    }

    /// <summary>Confirms and shrinks the findings kept, playing a round whenever reruns wait, until all are done (or the rounds run out).</summary>
    private static async Task ConfirmAsync(Campaign campaign, ClientRounds rounds, ClientRoundDriver driver, ClientTesting server, ClientRunSettings settings, TimeSpan settle, Action<string> say, CancellationToken cancel)
    {
        using var confirmed = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var confirming = campaign.ConfirmDeferredAsync(cancel);
        var play = PlayRoundsAsync(rounds, driver, server, settings, settle, say, confirmed.Token, cancel);
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

    private static async Task PlayRoundsAsync(ClientRounds rounds, ClientRoundDriver driver, ClientTesting server, ClientRunSettings settings, TimeSpan settle, Action<string> say, CancellationToken confirmed, CancellationToken cancel)
    {
        const string Rest = "reruns not played yet come back as not played (a finding they would confirm counts as not reproduced; a shrink stops where it is)";
        while (await rounds.WaitForRerunsAsync(TimeSpan.MaxValue, confirmed).ConfigureAwait(false))
        {
            if (rounds.RerunRounds >= MaxRerunRounds)
            {
                say($"{MaxRerunRounds} rounds of reruns played: {Rest}.");
                rounds.GiveUp();
                return;
            }

            int before = rounds.RerunRounds;
            if (settings.Mode == ClientMode.Serve)
            {
                // A served driver begins a round whenever it asks /getCaseCount; the reruns are done when nothing waits any more.
                say("Reruns are waiting (confirming and shrinking findings): run the client driver again.");
                if (!await rounds.WaitUntilPlayedAsync(settings.ClientTimeout, confirmed).ConfigureAwait(false) && !confirmed.IsCancellationRequested)
                {
                    say($"No client played the reruns within {settings.ClientTimeout.TotalSeconds:0.#} s: {Rest}.");
                    rounds.GiveUp();
                    return;
                }

                continue;
            }

            string? problem = await driver.PlayAsync(() => false, cancel).ConfigureAwait(false);
            await server.WaitForRunningCasesAsync(cancel.IsCancellationRequested ? TimeSpan.Zero : settle).ConfigureAwait(false);
            if (rounds.RerunRounds == before)
            {
                say($"The client did not ask for the round of reruns{(problem is null ? "" : $" ({problem})")}: {Rest}.");
                rounds.GiveUp();
                return;
            }

            rounds.EndRound();
        }
    }
}
