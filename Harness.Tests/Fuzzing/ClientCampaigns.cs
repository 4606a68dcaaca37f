using System.Collections.Concurrent;
using Conformance.Cases.Fuzzing;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Broken;

namespace Conformance.Tests.Fuzzing;

/// <summary>Runs a campaign against a client through the real client-testing server (fuzz --client without the CLI), findings into a folder.</summary>
internal static class ClientCampaigns
{
    public static async Task<(ClientCampaignOutcome Outcome, IReadOnlyList<string> Lines)> RunAsync(CampaignOptions options, string folder,
        Func<Uri, CancellationToken, Task>? embedded = null, string? exec = null)
    {
        var settings = new ClientRunSettings
        {
            Testing = new ClientTestOptions { Plan = RunPlan.ForClients([]), Timers = options.Timers },
            Mode = exec is null ? ClientMode.Embedded : ClientMode.Exec,
            Exec = exec,
            ClientTimeout = TimeSpan.FromMinutes(3),
            Parallel = 4,
        };
        var lines = new ConcurrentQueue<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var outcome = await ClientCampaign.RunAsync(options, settings, "client", folder, null, lines.Enqueue, lines.Enqueue, timeout.Token, embedded);
        return (outcome, lines.ToArray());
    }

    /// <summary>
    /// The replay of <c>test-client --cases-from DIR</c>: the folder's cases through the plan option of the command, played by
    /// the client-testing server for <paramref name="client"/>; the results by case ID.
    /// </summary>
    public static async Task<Dictionary<string, CaseResult>> ReplayAsync(string findings, Func<Uri, CancellationToken, Task> client, Timers timers)
    {
        var plan = CasesFromOption.Apply(RunPlan.ForClients([]), findings);
        var results = new ConcurrentDictionary<string, CaseResult>(StringComparer.Ordinal);
        await using (var server = ClientTesting.Start(new ClientTestOptions { Plan = plan, Timers = timers }, r => results[r.CaseId] = r))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await client(server.Url, timeout.Token);
            await server.WaitForRunningCasesAsync(TimeSpan.FromSeconds(20));
        }

        return new Dictionary<string, CaseResult>(results, StringComparer.Ordinal);
    }

    /// <summary>The scripted client with a flaw, as an embedded driver.</summary>
    public static Func<Uri, CancellationToken, Task> Scripted(ScriptedServerOptions flaws) => (url, token) => ScriptedClient.RunAsync(url, flaws, "scripted", 4, token);

    public static string Describe(Finding finding) =>
        string.Join("\n", FuzzCase.ActionsOf(finding.Minimal).Select(s => "  " + s.Describe()));
}
