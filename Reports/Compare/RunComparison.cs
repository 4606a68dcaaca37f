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
}

public sealed record VerdictChange(ChangeKind Kind, string Agent, string CaseId, string Old, string New);

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
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> @new)
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
                var kind = Classify(o, n);
                if (kind is not null)
                {
                    changes.Add(new VerdictChange(kind.Value, agent, id, Label(o), Label(n)));
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

        int behavior = Math.Sign(BehaviorRank(@new.Behavior) - BehaviorRank(old.Behavior));
        int close = Math.Sign(CloseRank(@new.BehaviorClose) - CloseRank(old.BehaviorClose));
        return behavior > 0 || close > 0 ? ChangeKind.Regression
            : behavior < 0 || close < 0 ? ChangeKind.Fix
            : old.Behavior != @new.Behavior || old.BehaviorClose != @new.BehaviorClose ? ChangeKind.Changed
            : null;
    }

    private static string Label(IndexEntry? entry) => entry is null ? "not run" : $"{entry.Behavior} / {entry.BehaviorClose}";

    private static int BehaviorRank(string label) => label switch
    {
        "OK" => 0,
        "INFORMATIONAL" or "UNIMPLEMENTED" => 1,
        "NON-STRICT" => 2,
        _ => 3,
    };

    private static int CloseRank(string label) => label switch
    {
        "OK" => 0,
        "INFORMATIONAL" or "FAILED BY CLIENT" => 1,
        "WRONG CODE" or "UNCLEAN" => 2,
        _ => 3,
    };
}
