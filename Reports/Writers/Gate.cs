using Conformance.Reports.Model;

namespace Conformance.Reports.Writers;

/// <summary>The process exit code a run earns, for CI.</summary>
public static class Gate
{
    /// <summary>
    /// 0 when no case has behaviour <c>FAILED</c> and no case has close verdict <c>FAILED</c>; otherwise 1.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Everything else passes the gate, because Autobahn does not count it as a failure either:
    /// <c>NON-STRICT</c> (a SHOULD not followed; still conformant), <c>INFORMATIONAL</c> (a fact reported, no
    /// verdict), <c>UNIMPLEMENTED</c> (an optional feature not offered) and the close verdicts
    /// <c>FAILED BY CLIENT</c>, <c>WRONG CODE</c> and <c>INFORMATIONAL</c>, which Autobahn draws in its
    /// non-failure colours (light green, olive, blue). <c>UNCLEAN</c> is the exception: Autobahn draws it red
    /// in the close column. It is about how the TCP connection was torn down rather than what was said on
    /// it, so it too is left to <c>--strict</c> (see <see cref="Gating.GatePolicy"/>, which the commands use).
    /// </para>
    /// <para>A verdict value outside the known ones counts as FAILED, as its label does.</para>
    /// </remarks>
    public static int ExitCode(RunResult run) => run.Results.Any(IsFailure) ? 1 : 0;

    private static bool IsFailure(CaseResult result) =>
        result.Behavior is not (Behavior.Ok or Behavior.NonStrict or Behavior.Informational or Behavior.Unimplemented)
        || result.CloseBehavior is not (CloseBehavior.Ok or CloseBehavior.Unclean or CloseBehavior.WrongCode
            or CloseBehavior.FailedByClient or CloseBehavior.Informational);
}
