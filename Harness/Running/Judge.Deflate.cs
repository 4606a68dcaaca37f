using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>The permessage-deflate rules of the judge (categories 12–14).</summary>
internal static partial class Judge
{
    /// <summary>Verdicts decided by the negotiation alone, before the usual rules: null when the usual rules apply.</summary>
    private static Verdicts? DecideDeflate(Case @case, Observations seen)
    {
        if (@case.Deflate is null || seen.Deflate is not { } deflate)
        {
            return null;
        }

        if (deflate.RefusedWithStatus is { } status)
        {
            return new(Behavior.NonStrict,
                $"the server refused the opening handshake with HTTP {status} instead of declining the invalid offer: RFC 7692 §7 asks it to decline the offer (answer without it) and go on without compression ({deflate.Negotiation})",
                CloseBehavior.Informational, "no WebSocket connection was opened");
        }

        if (deflate.IllegalResponse is { } accepted && deflate.AcceptedInvalidOffer && @case.Deflate.AcceptingIsNonStrict is { } lenient)
        {
            return new(Behavior.NonStrict, $"the server accepted an offer RFC 7692 asks it to decline ({lenient}); stricter is preferred: {accepted}",
                CloseBehavior.Informational, "the tester failed the connection right after the handshake, as a client must on a response it cannot accept");
        }

        if (deflate.IllegalResponse is { } illegal)
        {
            return new(Behavior.Failed, $"the server's permessage-deflate response is illegal, so the client must fail the connection (RFC 7692 §7): {illegal}",
                CloseBehavior.Failed, "the tester failed the connection right after the handshake: the extension response is illegal");
        }

        if (deflate.Unavailable is { } missing)
        {
            var (close, closeReason) = JudgeClose(ExpectedClose.TesterCloses, seen);
            return new(Behavior.Failed, $"this machine cannot test permessage-deflate, so the case was not played: {missing}", close, closeReason);
        }

        if (deflate.OmittedRepeat is { } omitted && @case.Deflate.OmittedRepeat == OmittedRepeat.Judge && seen.HandshakeCompleted)
        {
            // 14.6: the case was played on what the response means; the rule it is about decides the behaviour.
            var (close, closeReason) = JudgeClose(@case.Close, seen);
            var (played, playedReason) = BehaviorMonitor.For(@case).Judge(seen);
            string rule = $"the server accepted the offer without repeating the parameter: {omitted.Rule}";
            return omitted.OnlyTheDefault && played != Behavior.Failed
                ? new(Behavior.NonStrict, $"{rule}; the value left out is the default 15, so the response means what was asked ({playedReason})", close, closeReason)
                : new(Behavior.Failed, played == Behavior.Failed ? $"{rule}; then: {playedReason}" : rule, close, closeReason);
        }

        if (deflate.Unimplemented is { } why)
        {
            // Autobahn's 12/13 rule; the close is judged as the close the tester started.
            var (close, closeReason) = JudgeClose(ExpectedClose.TesterCloses, seen);
            return new(Behavior.Unimplemented, why, close, closeReason);
        }

        return null;
    }

    /// <summary>A window or context violation the inspector found fails the behaviour whatever else was right.</summary>
    private static (Behavior, string) WithDeflateFindings((Behavior Behavior, string Reason) judged, Observations seen)
    {
        if (seen.Deflate is not { } deflate)
        {
            return judged;
        }

        if (deflate.PeerViolation is { } violation)
        {
            // The inspector names the rule; what went wrong after it (a failed inflate, a missing echo) follows from it.
            return (Behavior.Failed, judged.Behavior == Behavior.Failed ? $"{violation}; then: {judged.Reason}" : violation);
        }

        // 12/13: an acceptance that left out a parameter keeps Autobahn's verdict; the reason names the rule (judged in 14.6).
        string omitted = deflate.OmittedRepeat is { } o ? $"; the server's response breaks RFC 7692 (judged in 14.6): {o.Rule}; the tester played the response as what it means" : "";
        return deflate.Agreement is { } agreed && judged.Behavior != Behavior.Failed
            ? (judged.Behavior, $"{judged.Reason}; agreed '{agreed.Response}'" + (deflate.Statistics is { } stats ? $"; {stats}" : "") + omitted)
            : (judged.Behavior, judged.Reason + omitted);
    }
}
