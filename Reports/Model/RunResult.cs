namespace Conformance.Reports.Model;

/// <summary>Facts about a run shown in every report.</summary>
public sealed record RunInfo
{
    public required string HarnessVersion { get; init; }

    public required string CatalogueVersion { get; init; }

    /// <summary>"server" when the harness tested servers (it was the client), "client" otherwise.</summary>
    public required string Mode { get; init; }

    public required DateTimeOffset Started { get; init; }

    public DateTimeOffset? Finished { get; init; }

    /// <summary>Agent name → URL (or command) of each target.</summary>
    public IReadOnlyDictionary<string, string> Targets { get; init; } = new Dictionary<string, string>();

    /// <summary>Options that shaped the run (selection, parallelism, timer scale, …), for the record.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    public string? CommandLine { get; init; }

    /// <summary>Agent → case IDs that were selected but deliberately not run for it (Autobahn's exclude-agent-cases).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludedForAgent { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public bool IsExcluded(string agent, string caseId) => ExcludedForAgent.TryGetValue(agent, out var ids) && ids.Contains(caseId, StringComparer.Ordinal);
}

/// <summary>An immutable run: its metadata and one result per agent × case, in run-plan order.</summary>
public sealed record RunResult(RunInfo Info, IReadOnlyList<CaseResult> Results)
{
    public IEnumerable<string> Agents => Results.Select(r => r.Agent).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>The selected cases, run or not (empty: unknown, the cases in <see cref="Results"/> stand for it).</summary>
    public IReadOnlyList<CatalogueEntry> Selection { get; init; } = [];

    /// <summary>The fuzzing campaign this run was (its figures, coverage and findings); null for a catalogue run.</summary>
    public CampaignResult? Campaign { get; init; }
}
