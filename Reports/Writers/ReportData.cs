using Conformance.Reports.Model;

namespace Conformance.Reports.Writers;

/// <summary>
/// A run laid out for the summary reports: the agents (every target, even one without results), the rows (the
/// selected cases in ID order, or the cases that have results when the selection is unknown) and each
/// agent × case result, if any.
/// </summary>
internal sealed class ReportData
{
    private readonly Dictionary<(string Agent, string CaseId), CaseResult> _results = [];

    public ReportData(RunResult run)
    {
        Run = run;
        foreach (var result in run.Results)
        {
            _results[(result.Agent, result.CaseId)] = result; // a re-run replaces the earlier result, as in index.json
        }

        Agents = [.. run.Info.Targets.Keys.Concat(run.Results.Select(r => r.Agent)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var rows = new Dictionary<string, CatalogueEntry>(StringComparer.Ordinal);
        foreach (var entry in run.Selection)
        {
            rows.TryAdd(entry.Id, entry);
        }

        foreach (var result in run.Results)
        {
            rows.TryAdd(result.CaseId, new CatalogueEntry(result.CaseId, result.Category, result.CategoryName, result.SubcategoryTitle, result.Description));
        }

        Rows = [.. rows.Values.OrderBy(r => r.Id, CaseIdOrder.Instance)];
    }

    public RunResult Run { get; }

    public IReadOnlyList<string> Agents { get; }

    public IReadOnlyList<CatalogueEntry> Rows { get; }

    public CaseResult? Find(string agent, string caseId) => _results.GetValueOrDefault((agent, caseId));

    /// <summary>Agent × case pairs that were selected but have no result.</summary>
    public IEnumerable<(string Agent, CatalogueEntry Case)> Missing() =>
        Agents.SelectMany(agent => Rows.Where(row => Find(agent, row.Id) is null).Select(row => (agent, row)));

    /// <summary>Category number → name, from the rows.</summary>
    public string CategoryName(int category) => Rows.FirstOrDefault(r => r.Category == category)?.CategoryName ?? "";
}

/// <summary>Verdict counts and time for a group of cases of one agent.</summary>
internal sealed class Tally
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Cases { get; private set; }

    public double Milliseconds { get; private set; }

    /// <summary>Count by verdict label; behaviour labels, "MISSING", and close labels prefixed "close ".</summary>
    public int this[string key] => _counts.GetValueOrDefault(key);

    public void Add(CaseResult? result)
    {
        Cases++;
        if (result is null)
        {
            Bump("MISSING");
            return;
        }

        Bump(result.Behavior.Label());
        Bump("close " + result.CloseBehavior.Label());
        if (double.IsFinite(result.DurationMs) && result.DurationMs > 0)
        {
            Milliseconds += result.DurationMs;
        }
    }

    /// <summary>Adds another tally's counts and time.</summary>
    public void Add(Tally other)
    {
        Cases += other.Cases;
        Milliseconds += other.Milliseconds;
        foreach (var (key, count) in other._counts)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + count;
        }
    }

    private void Bump(string key) => _counts[key] = _counts.GetValueOrDefault(key) + 1;
}
