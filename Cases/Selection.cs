using Conformance.Cases.Scripting;

namespace Conformance.Cases;

/// <summary>
/// Autobahn's case selection rules: <c>cases</c> minus <c>exclude-cases</c>, de-duplicated and
/// sorted numerically, and <c>exclude-agent-cases</c>. Unlike Autobahn, literal IDs that name no
/// case can be found with <see cref="UnknownPatterns"/> so that they are refused up front.
/// </summary>
public static class CaseSelection
{
    /// <summary>Splits a comma-separated list such as <c>1.*,5.2</c>; blanks around and between items are dropped.</summary>
    public static IReadOnlyList<string> SplitPatterns(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// A pattern with <c>*</c> is matched from the start of the ID but not anchored at its end
    /// (<c>6.1*</c> matches 6.10–6.19, <c>1*</c> matches 10.x); without <c>*</c> it must equal the ID.
    /// </summary>
    public static bool Matches(string pattern, string id) =>
        pattern.Contains('*', StringComparison.Ordinal) ? Glob(pattern + "*", id) : pattern == id;

    public static IReadOnlyList<Case> Select(IEnumerable<Case> all, IEnumerable<string> include, IEnumerable<string> exclude)
    {
        var included = include.ToArray();
        var excluded = exclude.ToArray();
        return all
            .Where(c => included.Any(p => Matches(p, c.Id.Text)) && !excluded.Any(p => Matches(p, c.Id.Text)))
            .DistinctBy(c => c.Id)
            .OrderBy(c => c.Id)
            .ToArray();
    }

    /// <summary>The cases that apply to an implementation in <paramref name="role"/> (see <see cref="Case.Roles"/>), in their order.</summary>
    public static IReadOnlyList<Case> ForRole(IEnumerable<Case> all, PeerRoles role) => all.Where(c => c.AppliesTo(role)).ToArray();

    /// <summary>
    /// Literal patterns (without <c>*</c>) that name no case. A wildcard that selects nothing is
    /// not reported: Autobahn spec files commonly exclude <c>12.*</c> and <c>13.*</c>.
    /// </summary>
    public static IReadOnlyList<string> UnknownPatterns(IEnumerable<Case> all, IEnumerable<string> patterns)
    {
        var ids = all.Select(c => c.Id.Text).ToHashSet(StringComparer.Ordinal);
        return patterns.Where(p => !p.Contains('*', StringComparison.Ordinal) && !ids.Contains(p)).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// <c>exclude-agent-cases</c>: keys are agent patterns, values case patterns; both must match
    /// the whole text, <c>*</c> standing for any characters and everything else literal.
    /// </summary>
    public static bool IsExcludedForAgent(string agent, CaseId id, IReadOnlyDictionary<string, IReadOnlyList<string>> excludeAgentCases) =>
        excludeAgentCases.Any(entry => Glob(entry.Key, agent) && entry.Value.Any(p => Glob(p, id.Text)));

    /// <summary>Whole-text match where <c>*</c> stands for any run of characters (backtracks to the last star).</summary>
    private static bool Glob(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
