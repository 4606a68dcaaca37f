using Conformance.Cases;
using Conformance.Cases.Scripting;

namespace Conformance.Harness.Running;

/// <summary>One unit of work when testing servers: a case against a target, at its position in the selected list.</summary>
internal sealed record PlanItem(ServerTarget Target, Case Case, int Index)
{
    public string Agent => Target.Agent;
}

/// <summary>
/// What a run plays, for either role, built in one place from a spec file or the command-line flags
/// (see <c>RunPlan.Specs.cs</c>): the selected cases in numeric order (case number N of the client-testing
/// URLs is <c>Cases[N - 1]</c>), the agents' exclusions (Autobahn's exclude-agent-cases), and for server
/// testing the targets. Every other part of the harness asks the plan which cases an agent plays.
/// </summary>
internal sealed partial record RunPlan
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExclusions = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The role of the peers under test: <see cref="PeerRoles.Server"/> when the harness connects as a client.</summary>
    public required PeerRoles Tested { get; init; }

    /// <summary>The selected cases, in numeric order.</summary>
    public required IReadOnlyList<Case> Cases { get; init; }

    /// <summary>Agent pattern → case patterns not run for matching agents (Autobahn's exclude-agent-cases).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludeAgentCases { get; init; } = NoExclusions;

    /// <summary>The servers under test (server testing only).</summary>
    public IReadOnlyList<ServerTarget> Targets { get; init; } = [];

    /// <summary>The spec's results folder, if it named one.</summary>
    public string? OutDir { get; init; }

    /// <summary>The spec's <c>url</c> when testing clients: where to listen.</summary>
    public Uri? Listen { get; init; }

    /// <summary>The address <see cref="Listen"/> names (resolved when the plan is read).</summary>
    public System.Net.IPAddress? ListenAddress { get; init; }

    public static RunPlan ForServers(IReadOnlyList<ServerTarget> targets, IReadOnlyList<Case> cases, IReadOnlyDictionary<string, IReadOnlyList<string>>? excludeAgentCases = null) =>
        new() { Tested = PeerRoles.Server, Targets = targets, Cases = cases, ExcludeAgentCases = excludeAgentCases ?? NoExclusions };

    public static RunPlan ForServer(ServerTarget target, IReadOnlyList<Case> cases) => ForServers([target], cases);

    public static RunPlan ForClients(IReadOnlyList<Case> cases, IReadOnlyDictionary<string, IReadOnlyList<string>>? excludeAgentCases = null) =>
        new() { Tested = PeerRoles.Client, Cases = cases, ExcludeAgentCases = excludeAgentCases ?? NoExclusions };

    /// <summary>The case is selected but deliberately not played for this agent (exclude-agent-cases, spec §3.5).</summary>
    public bool IsExcluded(string agent, Case @case) => CaseSelection.IsExcludedForAgent(agent, @case.Id, ExcludeAgentCases);

    /// <summary>The cases an agent is expected to play: the selection minus its exclusions.</summary>
    public IReadOnlyList<Case> CasesFor(string agent) => Cases.Where(c => !IsExcluded(agent, c)).ToArray();

    /// <summary>Agent → IDs of the selected cases excluded for it, as the run facts record them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludedFor(IEnumerable<string> agents) => agents.ToDictionary(
        a => a,
        a => (IReadOnlyList<string>)Cases.Where(c => IsExcluded(a, c)).Select(c => c.Id.Text).ToArray());

    /// <summary>Server testing: every target × every case it plays, target by target, in case order.</summary>
    public IReadOnlyList<PlanItem> Items()
    {
        var items = new List<PlanItem>(Targets.Count * Cases.Count);
        foreach (var target in Targets)
        {
            for (int i = 0; i < Cases.Count; i++)
            {
                if (Cases[i].AppliesTo(PeerRoles.Server) && !IsExcluded(target.Agent, Cases[i]))
                {
                    items.Add(new PlanItem(target, Cases[i], i + 1));
                }
            }
        }

        return items;
    }
}
