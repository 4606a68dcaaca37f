using System.Globalization;
using System.Text;
using System.Text.Json;
using Conformance.Reports.Model;
using Conformance.Tests.Integration;

namespace Conformance.Tests.Support;

/// <summary>What a run reported for one case: the two verdicts and their explanations.</summary>
internal sealed record ObservedCase(string CaseId, Verdicts Verdicts, string BehaviorReason, string CloseReason, double DurationMs)
{
    public static ObservedCase From(CaseResult r) =>
        new(r.CaseId, new Verdicts(r.Behavior, r.CloseBehavior), r.BehaviorReason, r.CloseReason, r.DurationMs);
}

/// <summary>Compares a run with the expected verdicts case by case and words every difference.</summary>
internal static class VerdictComparison
{
    /// <summary>One line per difference: missing results, unexpected results, cases without an expectation, verdict mismatches.</summary>
    public static IReadOnlyList<string> Differences(TargetExpectations expected, IEnumerable<string> selected, IEnumerable<ObservedCase> observed)
    {
        var byId = new Dictionary<string, ObservedCase>(StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var o in observed)
        {
            if (!byId.TryAdd(o.CaseId, o))
            {
                lines.Add($"{o.CaseId}: reported more than once");
            }
        }

        var selectedIds = selected.ToArray();
        foreach (string id in selectedIds)
        {
            var want = expected.For(id);
            if (!byId.TryGetValue(id, out var got))
            {
                lines.Add($"{id}: no result (expected {want?.Verdicts.ToString() ?? "?"})");
                continue;
            }

            if (want is null)
            {
                lines.Add($"{id}: no expected verdict for {expected.Target} (got {got.Verdicts}); add it to PublishedResults from a published source");
                continue;
            }

            if (!want.Accepts(got.Verdicts))
            {
                string source = want.Source switch
                {
                    ExpectationSource.Published => "published",
                    ExpectationSource.Rfc => "RFC, no published result",
                    _ => "known difference — if the library changed, update PublishedResults.KnownDifferences",
                };
                lines.Add($"{id}: expected {want.Verdicts} [{source}], got {got.Verdicts} — behaviour: {got.BehaviorReason} | close: {got.CloseReason} ({got.DurationMs.ToString("F0", CultureInfo.InvariantCulture)} ms)");
            }
        }

        var selectedSet = selectedIds.ToHashSet(StringComparer.Ordinal);
        lines.AddRange(byId.Keys.Where(id => !selectedSet.Contains(id)).Select(id => $"{id}: reported but not selected"));
        return lines;
    }

    public static string Message(string what, IReadOnlyList<string> differences) =>
        differences.Count == 0 ? $"{what}: no differences" : $"{what}: {differences.Count} case(s) differ:\n  " + string.Join("\n  ", differences);
}

/// <summary>Reads an Autobahn-style results folder: index.json (agent → case → verdicts) and the per-case files it names.</summary>
internal static class ResultsIndex
{
    public static IReadOnlyDictionary<string, IReadOnlyList<ObservedCase>> Read(string outDir)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "index.json")));
        var agents = new Dictionary<string, IReadOnlyList<ObservedCase>>(StringComparer.Ordinal);
        foreach (var agent in index.RootElement.EnumerateObject())
        {
            var cases = new List<ObservedCase>();
            foreach (var entry in agent.Value.EnumerateObject())
            {
                var e = entry.Value;
                var verdicts = new Verdicts(ParseBehavior(e.GetProperty("behavior").GetString()), ParseClose(e.GetProperty("behaviorClose").GetString()));
                string behaviorReason = "", closeReason = "";
                if (e.TryGetProperty("reportfile", out var file) && file.GetString() is { } name && File.Exists(Path.Combine(outDir, name)))
                {
                    using var caseJson = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, name)));
                    behaviorReason = caseJson.RootElement.TryGetProperty("result", out var r) ? r.GetString() ?? "" : "";
                    closeReason = caseJson.RootElement.TryGetProperty("resultClose", out var rc) ? rc.GetString() ?? "" : "";
                }

                cases.Add(new ObservedCase(entry.Name, verdicts, behaviorReason, closeReason, e.GetProperty("duration").GetDouble()));
            }

            agents[agent.Name] = cases;
        }

        return agents;
    }

    private static Behavior ParseBehavior(string? label) => Parse<Behavior>(label, b => b.Label(), "behavior");

    private static CloseBehavior ParseClose(string? label) => Parse<CloseBehavior>(label, c => c.Label(), "behaviorClose");

    /// <summary>Strict: an unknown label is an error, not FAILED.</summary>
    private static T Parse<T>(string? label, Func<T, string> labelOf, string field)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (labelOf(value) == label)
            {
                return value;
            }
        }

        throw new InvalidDataException($"unknown {field} label '{label}' in index.json");
    }
}

/// <summary>Timings for the test log.</summary>
internal static class RunSummary
{
    public static string Describe(IEnumerable<CaseResult> results, TimeSpan wall)
    {
        var list = results.ToList();
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"{list.Count} case(s) in {wall.TotalSeconds:F1} s wall clock");
        foreach (var category in list.GroupBy(r => r.Category).OrderBy(g => g.Key))
        {
            builder.Append(CultureInfo.InvariantCulture, $"; cat {category.Key}: {category.Count()} cases, {category.Sum(r => r.DurationMs) / 1000:F1} s summed, longest {category.Max(r => r.DurationMs) / 1000:F1} s");
        }

        return builder.ToString();
    }
}
