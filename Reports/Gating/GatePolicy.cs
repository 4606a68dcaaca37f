using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Gating;

/// <summary>
/// What fails a run. By default only <c>FAILED</c> (behaviour or close) fails, as in Autobahn. <see cref="Strict"/>
/// also fails every verdict Autobahn does not draw green or blue: behaviour <c>NON-STRICT</c> and close
/// <c>WRONG CODE</c> and <c>UNCLEAN</c>. <c>INFORMATIONAL</c>, <c>UNIMPLEMENTED</c> (an optional feature) and
/// <c>FAILED BY CLIENT</c> (light green: the tester closed TCP, which RFC 6455 only prefers the server to do)
/// pass either way. With a <see cref="Baseline"/>, a listed case passes when its verdicts equal the listed ones.
/// A selected case without a result always fails. This is the only gate: every command and report asks it.
/// </summary>
public sealed record GatePolicy
{
    public bool Strict { get; init; }

    public Baseline? Baseline { get; init; }

    public string? BaselineName { get; init; }

    public string Describe() =>
        (Strict ? "strict: FAILED, NON-STRICT, WRONG CODE and UNCLEAN fail" : "default: only FAILED fails")
        + (Baseline is null ? "" : $"; baseline {BaselineName ?? "given"} with {Baseline.Cases.Count} case(s)");

    /// <summary>Why the verdicts fail the gate before any baseline, or null when they pass.</summary>
    public string? Failure(CaseResult result)
    {
        var problems = new List<string>(2);
        // A verdict value outside the known ones is FAILED, as its label says (Verdicts.Label).
        if (result.Behavior.Label() == Behavior.Failed.Label() || (Strict && result.Behavior == Behavior.NonStrict))
        {
            problems.Add($"behaviour {result.Behavior.Label()}: {result.BehaviorReason}");
        }

        if (result.CloseBehavior.Label() == CloseBehavior.Failed.Label() || (Strict && result.CloseBehavior is CloseBehavior.WrongCode or CloseBehavior.Unclean))
        {
            problems.Add($"close {result.CloseBehavior.Label()}: {result.CloseReason}");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>The agent named in the gate's findings when no client came to a client-testing run.</summary>
    public const string NoClient = "(no client)";

    public GateResult Evaluate(RunResult run)
    {
        var data = new ReportData(run);
        var failures = new List<GateFinding>();
        var better = new List<GateFinding>();
        foreach (var result in data.Agents.SelectMany(agent => data.Rows.Select(row => data.Find(agent, row.Id))).OfType<CaseResult>())
        {
            string? failure = Failure(result);
            var expected = Baseline?.Cases.GetValueOrDefault(result.CaseId);
            if (expected is null)
            {
                if (failure is not null)
                {
                    failures.Add(new GateFinding(result.Agent, result.CaseId, failure));
                }
            }
            else if (!expected.Matches(result))
            {
                if (failure is not null)
                {
                    failures.Add(new GateFinding(result.Agent, result.CaseId, $"baseline expects {expected}, got {result.Behavior.Label()} / {result.CloseBehavior.Label()}: {failure}"));
                }
                else
                {
                    better.Add(new GateFinding(result.Agent, result.CaseId, $"baseline expects {expected}, now {result.Behavior.Label()} / {result.CloseBehavior.Label()}: tighten the baseline"));
                }
            }
        }

        // Cases a spec excludes for an agent on purpose (exclude-agent-cases) are shown as Missing but do not fail the gate.
        var missing = data.Missing().Where(m => !run.Info.IsExcluded(m.Agent, m.Case.Id)).Select(m => new GateFinding(m.Agent, m.Case.Id, "not run")).ToList();
        if (data.Agents.Count == 0)
        {
            // Client testing that no client came to: there is no agent to miss the cases, and still none ran.
            missing.AddRange(data.Rows.Select(row => new GateFinding(NoClient, row.Id, "not run: no client ran a case")));
        }

        return new GateResult(this, failures, better, missing);
    }
}

/// <summary>One case's entry in the gate's findings.</summary>
public sealed record GateFinding(string Agent, string CaseId, string Why);

/// <summary>What the gate decided: the failing cases, the cases better than the baseline says, the cases not run, and the exit code.</summary>
public sealed record GateResult(GatePolicy Policy, IReadOnlyList<GateFinding> Failures, IReadOnlyList<GateFinding> BetterThanBaseline, IReadOnlyList<GateFinding> Missing)
{
    public int ExitCode => Failures.Count > 0 || Missing.Count > 0 ? 1 : 0;

    private Dictionary<(string, string), GateFinding>? _failuresByCase;

    public GateFinding? FailureOf(string agent, string caseId) =>
        (_failuresByCase ??= Failures.GroupBy(f => (f.Agent, f.CaseId)).ToDictionary(g => g.Key, g => g.First())).GetValueOrDefault((agent, caseId));

    public string Describe() => ExitCode == 0
        ? $"exit 0, passed (gate {Policy.Describe()})"
        : $"exit 1, {Failures.Count} case(s) failed and {Missing.Count} not run (gate {Policy.Describe()})";
}
