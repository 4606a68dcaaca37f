using Conformance.Reports.Model;
using Conformance.Reports.Reading;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Compare;

public enum ChangeKind
{
    /// <summary>A verdict got worse, or the case has no result in the new run.</summary>
    Regression,
    /// <summary>A verdict got better and none got worse.</summary>
    Fix,
    /// <summary>A different verdict of the same rank (INFORMATIONAL ↔ UNIMPLEMENTED).</summary>
    Changed,
    /// <summary>Only the new run has the case.</summary>
    New,
    /// <summary>FAILED (behaviour or close) in both runs, with the same verdicts; only <see cref="RunComparison.UnchangedFailures"/> lists these.</summary>
    UnchangedFailure,
}

/// <summary>One case of one agent in both runs; the entries (null when a run lacks the case) name the case files.</summary>
public sealed record VerdictChange(ChangeKind Kind, string Agent, string CaseId, string Old, string New)
{
    public IndexEntry? OldEntry { get; init; }

    public IndexEntry? NewEntry { get; init; }
}

/// <summary>
/// Compares two runs case by case from their index.json files. Verdicts are ranked (behaviour: OK &lt;
/// INFORMATIONAL = UNIMPLEMENTED &lt; NON-STRICT &lt; FAILED; close: OK &lt; INFORMATIONAL = FAILED BY CLIENT &lt;
/// WRONG CODE = UNCLEAN &lt; FAILED); a case is a regression when either rank rises or when it is gone from the new run.
/// Agents are matched by name; when each run has exactly one agent, those two are compared whatever their names.
/// </summary>
public static class RunComparison
{
    public static IReadOnlyList<VerdictChange> Compare(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> old,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> @new) => Pairs(old, @new, Classify);

    /// <summary>Cases FAILED in both runs with the same verdicts: what is still to fix.</summary>
    public static IReadOnlyList<VerdictChange> UnchangedFailures(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> old,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> @new) =>
        Pairs(old, @new, (o, n) => o is not null && n is not null && Classify(o, n) is null
            && Math.Max(VerdictRank.Of(n.Behavior), VerdictRank.Of(n.BehaviorClose)) == VerdictRank.Failed ? ChangeKind.UnchangedFailure : null);

    private static List<VerdictChange> Pairs(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> old,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> @new,
        Func<IndexEntry?, IndexEntry?, ChangeKind?> classify)
    {
        var pairs = old.Count == 1 && @new.Count == 1
            ? [(old.Keys.Single(), @new.Keys.Single())]
            : old.Keys.Union(@new.Keys, StringComparer.Ordinal).Select(a => (a, a)).ToList();
        var changes = new List<VerdictChange>();
        foreach (var (oldAgent, newAgent) in pairs)
        {
            var before = old.GetValueOrDefault(oldAgent) ?? new Dictionary<string, IndexEntry>();
            var after = @new.GetValueOrDefault(newAgent) ?? new Dictionary<string, IndexEntry>();
            string agent = oldAgent == newAgent ? newAgent : $"{oldAgent} → {newAgent}";
            foreach (string id in before.Keys.Union(after.Keys, StringComparer.Ordinal).Order(CaseIdOrder.Instance))
            {
                var o = before.GetValueOrDefault(id);
                var n = after.GetValueOrDefault(id);
                var kind = classify(o, n);
                if (kind is not null)
                {
                    changes.Add(new VerdictChange(kind.Value, agent, id, Label(o), Label(n)) { OldEntry = o, NewEntry = n });
                }
            }
        }

        return changes;
    }

    private static ChangeKind? Classify(IndexEntry? old, IndexEntry? @new)
    {
        if (old is null)
        {
            return ChangeKind.New;
        }

        if (@new is null)
        {
            return ChangeKind.Regression;
        }

        int behavior = Math.Sign(VerdictRank.Of(@new.Behavior) - VerdictRank.Of(old.Behavior));
        int close = Math.Sign(VerdictRank.Of(@new.BehaviorClose) - VerdictRank.Of(old.BehaviorClose));
        return behavior > 0 || close > 0 ? ChangeKind.Regression
            : behavior < 0 || close < 0 ? ChangeKind.Fix
            : old.Behavior != @new.Behavior || old.BehaviorClose != @new.BehaviorClose ? ChangeKind.Changed
            : null;
    }

    private static string Label(IndexEntry? entry) => entry is null ? "not run" : $"{entry.Behavior} / {entry.BehaviorClose}";
}
