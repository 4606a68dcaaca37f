using Conformance.Cases;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Broken;

/// <summary>Runs catalogue cases against a scripted server through the real server-testing path.</summary>
internal static class Runs
{
    public static async Task<Dictionary<string, CaseResult>> CasesAsync(ScriptedServer server, IEnumerable<string> patterns, Timers timers, int parallel = 4, Action<string>? log = null)
    {
        var cases = CaseSelection.Select(CaseCatalogue.All, patterns, []);
        if (cases.Count == 0)
        {
            throw new ArgumentException($"no case matches {string.Join(", ", patterns)}", nameof(patterns));
        }

        var options = new ServerTestOptions { Plan = RunPlan.ForServers([server.Target()], cases), Parallel = parallel, Timers = timers };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var results = await ServerTesting.RunAsync(options, _ => { }, log, timeout.Token).ConfigureAwait(false);
        return results.ToDictionary(r => r.CaseId, StringComparer.Ordinal);
    }

    /// <summary>A one-line account of a result for assertion messages.</summary>
    public static string Describe(CaseResult r) =>
        $"{r.CaseId}: {r.Behavior.Label()} ({r.BehaviorReason}) / close {r.CloseBehavior.Label()} ({r.CloseReason})";
}
