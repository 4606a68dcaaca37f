using Conformance.Harness.Cli;
using Conformance.Reports.Reading;
using Conformance.Reports.Writers;

namespace Conformance.Harness.Running;

/// <summary><c>--rerun-failed DIR</c>: the plan narrowed to the cases that did not pass in an earlier results folder.</summary>
internal sealed partial record RunPlan
{
    /// <summary>Verdicts that count as passed, for both the behaviour and the close (Autobahn's words, as index.json has them).</summary>
    private static readonly HashSet<string> Passed = new(StringComparer.Ordinal) { "OK", "INFORMATIONAL" };

    /// <summary>
    /// Keeps the selected cases that did not pass in <paramref name="folder"/> (ours or Autobahn's): a behaviour or
    /// close verdict other than OK or INFORMATIONAL for any agent, or selected there (wsconf-run.json) without a result.
    /// </summary>
    public RunPlan RerunningFailuresOf(string folder)
    {
        var again = NotPassedIn(folder);
        var cases = Cases.Where(c => again.Contains(c.Id.Text)).ToArray();
        return cases.Length > 0 ? this with { Cases = cases }
            : throw new UsageException($"--rerun-failed: nothing to rerun, every selected case passed in '{folder}'");
    }

    /// <summary>Case IDs with a verdict other than OK/INFORMATIONAL, or selected but without a result.</summary>
    public static IReadOnlySet<string> NotPassedIn(string folder)
    {
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> index;
        try
        {
            index = ResultsReader.ReadIndex(folder);
        }
        catch (ResultsReadException e)
        {
            throw new UsageException($"--rerun-failed '{folder}': {e.Message}");
        }

        var again = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (caseId, entry) in index.Values.SelectMany(cases => cases))
        {
            if (!Passed.Contains(entry.Behavior) || !Passed.Contains(entry.BehaviorClose))
            {
                again.Add(caseId);
            }
        }

        var withResult = index.Values.SelectMany(cases => cases.Keys).ToHashSet(StringComparer.Ordinal);
        foreach (var selected in SelectionOf(folder))
        {
            if (!withResult.Contains(selected))
            {
                again.Add(selected);
            }
        }

        return again;
    }

    private static IEnumerable<string> SelectionOf(string folder)
    {
        try
        {
            return RunInfoFile.Read(folder) is { } run ? run.Selection.Select(e => e.Id) : [];
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or IOException)
        {
            return [];
        }
    }
}
