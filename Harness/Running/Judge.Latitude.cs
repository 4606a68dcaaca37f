using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// Generated cases (<see cref="ExpectEventsWithLatitude"/>): outcomes that are not failures although
/// the script's events did not predict them: refusing a large message as a limit (§10.4), refusing
/// what the RFC lets a receiver refuse, and not failing a text message made invalid that never ended. The events themselves are judged by <see cref="LatitudeMonitor"/>.
/// </summary>
internal static partial class Judge
{
    /// <summary>Messages below this size are not "large": refusing one with 1009 is not a plausible limit.</summary>
    public const long SizeLimitFloor = 1024;

    private static Verdicts? DecideLatitude(Case @case, Observations seen)
    {
        if (@case.Behavior is not ExpectEventsWithLatitude rule || !seen.HandshakeCompleted)
        {
            return null;
        }

        var c = seen.Closing;
        bool peerFailed = !c.ClosedByMe && c.RemoteCloseCode is { } code && !@case.Close.Codes.Contains(code);
        if (peerFailed && c.RemoteCloseCode is CloseCodes.MessageTooBig or CloseCodes.PolicyViolation && rule.LargestMessage >= SizeLimitFloor)
        {
            string why = $"the peer refused a message of up to {rule.LargestMessage} octets with {c.RemoteCloseCode}: a size limit (RFC 6455 §10.4), reported, not a failure";
            return new(Behavior.Informational, why, CloseBehavior.Informational, why);
        }

        // The tester's own close may have crossed the peer's refusal on the wire, so who closed first does not decide it.
        if (rule.Refusal is { } refusal && !c.FailedByMe && (c.RemoteCloseCode is null ? !c.WasClean : refusal.Codes.Contains(c.RemoteCloseCode.Value))
            && (!c.ClosedByMe || c.LocalCloseCode != c.RemoteCloseCode) // an echo of the tester's own 1002 is no refusal
            && refusal.EventsBefore.Any(before => LatitudeMatch.Mismatch(before, seen.Events) is null))
        {
            string why = $"the peer failed the connection at {refusal.Why}, which the RFC allows";
            return new(Behavior.Ok, why, CloseBehavior.Ok, why);
        }

        if (rule.UnfinishedInvalidText is { } unfinished && c.ClosedByMe && seen.PeerViolation is null && c.WasClean
            && rule.NonStrictOutcomes.Append(rule.Ok).Any(outcome => LatitudeMatch.Mismatch(outcome, seen.Events) is null))
        {
            string closed = seen.TimerFired is null ? "the tester closed" : "the tester closed when the case timer fired";
            return new(Behavior.NonStrict, $"the peer did not fail the invalid text at once: {unfinished}", CloseBehavior.Ok,
                $"{closed}, the peer answered the close, the close was clean");
        }

        if (rule.WaitingTolerated is { } waiting && c.ClosedByMe && seen.TimerFired is not null && LatitudeMatch.Mismatch(rule.Ok, seen.Events) is null)
        {
            string why = $"the peer neither failed the connection nor answered until the case timer fired: {waiting}";
            return new(Behavior.Informational, why, CloseBehavior.Informational, why);
        }

        return null;
    }
}
