using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>The two verdicts of a case and the reasons for them, in words.</summary>
internal sealed record Verdicts(Behavior Behavior, string BehaviorReason, CloseBehavior Close, string CloseReason);

/// <summary>
/// Turns observations into verdicts with Autobahn's rules (spec §2): a pure function of the case
/// and what was observed, so it is tested without sockets.
/// </summary>
internal static partial class Judge
{
    public static Verdicts Decide(Case @case, Observations seen)
    {
        if (Handshake.HandshakeJudge.Decide(@case, seen) is { } handshake)
        {
            return handshake;
        }

        if (DecideDeflate(@case, seen) is { } deflate)
        {
            return deflate;
        }

        if (DecideLatitude(@case, seen) is { } latitude)
        {
            return latitude;
        }

        if (!seen.HandshakeCompleted)
        {
            string why = $"the opening handshake failed: {seen.HandshakeError}";
            // 7.1.6 and 7.13.x only record what happens, whatever happens (Autobahn sets both verdicts last).
            return @case.Flags.HasFlag(CaseFlags.Informational)
                ? new(Behavior.Informational, why, CloseBehavior.Informational, "the opening handshake never completed")
                : new(Behavior.Failed, why, CloseBehavior.Failed, "the opening handshake never completed");
        }

        var (behavior, behaviorReason) = WithDeflateFindings(BehaviorMonitor.For(@case).Judge(seen), seen);
        var (close, closeReason) = JudgeClose(@case.Close, seen);

        bool wrongEndpoint = seen.Closing.ClosedByMe != @case.Close.ClosedByTester;
        if (@case.Close.WrongEndpointIsFatal && wrongEndpoint && behavior != Behavior.Failed)
        {
            (behavior, behaviorReason) = (Behavior.Failed, behaviorReason + "; but the peer did not fail the connection: the tester had to close it");
        }

        if (@case.Flags.HasFlag(CaseFlags.WrongCodeFailsBehavior) && close == CloseBehavior.WrongCode)
        {
            (behavior, behaviorReason) = (Behavior.Failed, $"the peer closed with code {seen.Closing.RemoteCloseCode}, not one of [{string.Join(", ", @case.Close.Codes)}]");
        }

        if (@case.ExpectedSentFrames is { } sent && behavior != Behavior.Failed)
        {
            foreach (var (opcode, count) in sent)
            {
                int actual = seen.TxFrames.GetValueOrDefault(opcode);
                if (actual != count)
                {
                    (behavior, behaviorReason) = (Behavior.Failed, $"self-check: the tester sent {actual} {Cases.Protocol.Opcode.Name(opcode)} frames, not {count}");
                }
            }
        }

        if (@case.Flags.HasFlag(CaseFlags.Informational))
        {
            return new(Behavior.Informational, behaviorReason, CloseBehavior.Informational, closeReason);
        }

        return new(behavior, behaviorReason, close, closeReason);
    }

    /// <summary>Spec §2.3, first rule that applies wins.</summary>
    private static (CloseBehavior, string) JudgeClose(ExpectedClose expected, Observations seen)
    {
        var c = seen.Closing;
        if (c.ClosedByMe != expected.ClosedByTester)
        {
            string why = expected.ClosedByTester
                ? "the peer started closing, but the tester was expected to"
                : seen.PeerCloseInvalid
                    ? $"the peer's close frame was invalid ({seen.PeerViolation}), so the tester failed the connection and its close went first, as Autobahn's does; the peer was expected to fail it with a valid close or a TCP drop"
                    : $"the tester had to close the connection{(seen.TimerFired is { } t ? $" when {t} fired" : "")}; the peer was expected to fail it";
            return (CloseBehavior.Failed, $"connection closed by the wrong endpoint: {why}");
        }

        if (expected.RequireClean && !c.WasClean)
        {
            return (CloseBehavior.Unclean, $"the close was not clean: {c.WasNotCleanReason ?? "no closing handshake"}");
        }

        if (c.RemoteCloseCode is { } code && !expected.Codes.Contains(code))
        {
            return (CloseBehavior.WrongCode, $"the peer closed with code {code} ({Cases.Protocol.CloseCodes.Describe(code)}); expected one of [{string.Join(", ", expected.Codes)}]");
        }

        if (!seen.TesterIsServer && c.DroppedByMe)
        {
            return (CloseBehavior.FailedByClient, "the tester (client) had to close the TCP connection; RFC 6455 §7.1.1 prefers the server to close it first");
        }

        string how = c.RemoteCloseCode is { } rc ? $"the peer closed with code {rc}" : c.WasClean ? "the peer closed without a code" : "the peer dropped TCP";
        return (CloseBehavior.Ok, expected.ClosedByTester ? $"the tester closed, {how}, the close was {(c.WasClean ? "clean" : "not clean")}" : $"the peer failed the connection: {how}");
    }
}
