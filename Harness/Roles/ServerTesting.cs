using Conformance.Cases;
using Conformance.Cases.Catalogue;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Reports.Model;

namespace Conformance.Harness.Roles;

/// <summary>What a server-testing run needs: targets, cases and how to run them.</summary>
internal sealed record ServerTestOptions
{
    public required IReadOnlyList<ServerTarget> Targets { get; init; }

    public required IReadOnlyList<Case> Cases { get; init; }

    /// <summary>Agent pattern → case patterns not run for matching agents (Autobahn's exclude-agent-cases).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludeAgentCases { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public int Parallel { get; init; } = 1;

    public Timers Timers { get; init; } = new();

    public bool Verbose { get; init; }

    public bool AllowInvalidCertificates { get; init; }
}

/// <summary>Testing servers: plan agent × case, run them, hand each result on as it finishes.</summary>
internal static class ServerTesting
{
    public static async Task<IReadOnlyList<CaseResult>> RunAsync(ServerTestOptions options, Action<CaseResult> finished, Action<string>? log, CancellationToken cancel)
    {
        var plan = new List<PlanItem<ServerTarget>>();
        foreach (var target in options.Targets)
        {
            for (int i = 0; i < options.Cases.Count; i++)
            {
                var @case = options.Cases[i];
                if (@case.AppliesTo(PeerRoles.Server) && !CaseSelection.IsExcludedForAgent(target.Agent, @case.Id, options.ExcludeAgentCases))
                {
                    plan.Add(new PlanItem<ServerTarget>(target, target.Agent, @case, i + 1));
                }
            }
        }

        var runner = new ServerCaseRunner(options.Timers, options.Verbose, log, options.AllowInvalidCertificates);
        return await Scheduler.RunAsync(plan, options.Parallel,
            (item, token) => runner.RunAsync(item.Target, item.Case, item.Index, token),
            finished,
            (agent, why) => log?.Invoke(why),
            cancel).ConfigureAwait(false);
    }
}
