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
            return new(Behavior.Failed, why, CloseBehavior.Failed, "the opening handshake never completed");
        }

        var (behavior, behaviorReason) = WithDeflateFindings(JudgeBehavior(@case, seen), seen);
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

    private static (Behavior, string) JudgeBehavior(Case @case, Observations seen) => @case.Behavior switch
    {
        ExpectEventsWithLatitude expect => JudgeLatitude(expect, seen),
        ExpectEvents expect => JudgeEvents(expect, seen),
        ExpectEchoes expect => JudgeEchoes(expect, seen),
        ExpectDataSetEchoes expect => JudgeDataSetEchoes(expect, seen),
        _ => (Behavior.Failed, "no behaviour rule"),
    };

    private static (Behavior, string) JudgeEvents(ExpectEvents expect, Observations seen)
    {
        string received = Describe(seen.Events, seen.EventsTruncated);
        if (!seen.EventsTruncated && seen.Events.SequenceEqual(expect.Ok))
        {
            return (Behavior.Ok, $"received what was expected: {received}");
        }

        if (!seen.EventsTruncated && expect.NonStrict is { } nonStrict && seen.Events.SequenceEqual(nonStrict))
        {
            return (Behavior.NonStrict, $"received {received}: acceptable, but stricter behaviour is preferred ({Describe(expect.Ok, false)})");
        }

        string expected = Describe(expect.Ok, false);
        string why = FirstDifference(expect.Ok, seen.Events);
        return (Behavior.Failed, $"expected {expected}, received {received}{why}");
    }

    private static (Behavior, string) JudgeEchoes(ExpectEchoes expect, Observations seen)
    {
        string kind = $"{(expect.IsBinary ? "binary" : "text")} message{(expect.Count == 1 ? "" : "s")} of {expect.Length} octets";
        if (seen.EchoMismatch is { } mismatch)
        {
            return (Behavior.Failed, mismatch);
        }

        if (seen.EchoesMatched == expect.Count)
        {
            return (Behavior.Ok, $"received {expect.Count} {kind} back, each of the right type and length");
        }

        string when = seen.TimerFired is { } timer ? $" before {timer} fired" : " before the connection ended";
        return (Behavior.Failed, $"received {seen.EchoesMatched} of {expect.Count} {kind}{when}");
    }

    /// <summary>Spec §2.3, first rule that applies wins.</summary>
    private static (CloseBehavior, string) JudgeClose(ExpectedClose expected, Observations seen)
    {
        var c = seen.Closing;
        if (c.ClosedByMe != expected.ClosedByTester)
        {
            string why = expected.ClosedByTester
                ? "the peer started closing, but the tester was expected to"
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

    private static string Describe(IReadOnlyList<Event> events, bool truncated) =>
        events.Count == 0 ? "nothing" : "[" + string.Join("; ", events.Take(8).Select(e => e.Describe())) + (events.Count > 8 ? $"; … {events.Count - 8} more" : "") + (truncated ? " (too many to keep)" : "") + "]";

    private static string FirstDifference(IReadOnlyList<Event> expected, IReadOnlyList<Event> received)
    {
        for (int i = 0; i < Math.Max(expected.Count, received.Count); i++)
        {
            if (i >= received.Count)
            {
                return $" (missing from event {i + 1}: {expected[i].Describe()})";
            }

            if (i >= expected.Count)
            {
                return $" (unexpected event {i + 1}: {received[i].Describe()})";
            }

            if (!expected[i].Equals(received[i]))
            {
                return $" (event {i + 1} differs: expected {expected[i].Describe()}, received {received[i].Describe()})";
            }
        }

        return "";
    }
}
