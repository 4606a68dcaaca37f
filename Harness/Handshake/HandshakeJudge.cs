using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Reports.Model;

namespace Conformance.Harness.Handshake;

/// <summary>
/// The verdicts of category 15 that the opening handshake alone decides, as a pure function of the case
/// and what was observed. Where no WebSocket connection is meant to exist (a refused request, a response the
/// client must refuse) the close verdict is INFORMATIONAL: there is no closing handshake to judge.
/// </summary>
internal static class HandshakeJudge
{
    private const string NoConnection = "no WebSocket connection was meant to be opened, so there is no closing handshake to judge";

    /// <summary>Verdicts decided by the handshake; null when the case's usual rules apply.</summary>
    public static Verdicts? Decide(Case @case, Observations seen)
    {
        if (@case.Handshake is not { } rule || seen.Handshake is not { } handshake)
        {
            return null;
        }

        return rule switch
        {
            HandshakeRule.Established => Established(rule, handshake, seen, @case),
            HandshakeRule.Refused refused => Refused(refused, handshake),
            HandshakeRule.ClientFails => ClientFails(rule, handshake),
            _ => null,
        };
    }

    private static Verdicts? Established(HandshakeRule rule, HandshakeObservations handshake, Observations seen, Case @case)
    {
        if (!seen.HandshakeCompleted)
        {
            string what = handshake.Client is { } reaction ? $"the client did not accept the response: {reaction.Words}"
                : handshake.InvalidUpgrade ?? (handshake.Status is { } status ? $"the server answered {Status(status)} instead of accepting"
                : $"the server sent no response: {handshake.NoResponse ?? seen.HandshakeError}");
            return new(Behavior.Failed, $"{what}. {rule.RfcWords}", CloseBehavior.Failed, "the opening handshake never completed");
        }

        if (handshake.AnsweredEarly is { } early)
        {
            var played = Judge.Decide(@case, seen with { Handshake = null });
            return played with { Behavior = Behavior.Failed, BehaviorReason = $"the server answered before the request was complete ({early}). {rule.RfcWords}" };
        }

        return null;
    }

    private static Verdicts Refused(HandshakeRule.Refused rule, HandshakeObservations handshake)
    {
        if (handshake.Status is not { } status)
        {
            return new(Behavior.Failed, $"the server sent no HTTP response ({handshake.NoResponse ?? "nothing arrived"}); it must answer with an error status. {rule.RfcWords}", CloseBehavior.Informational, NoConnection);
        }

        string answered = Status(status);
        if (status == 101 && rule.UpgradeIsInformational is { } allowed)
        {
            return new(Behavior.Informational, $"the server switched protocols ({answered}): {allowed}", CloseBehavior.Informational, NoConnection);
        }

        if (status == 101)
        {
            return new(Behavior.Failed, $"the server switched protocols ({answered}) on a request it must refuse. {rule.RfcWords}", CloseBehavior.Informational, NoConnection);
        }

        bool namesVersion = handshake.Fields.Any(f => f.Key.Equals("Sec-WebSocket-Version", StringComparison.OrdinalIgnoreCase)
                                                      && f.Value.Split(',').Any(v => v.Trim() == "13"));
        string versionNote = namesVersion ? " with Sec-WebSocket-Version: 13" : " without a Sec-WebSocket-Version field naming 13";
        if (rule.VersionField == VersionField.Required && !namesVersion && (rule.Ok.Contains(status) || rule.NonStrict.Contains(status)))
        {
            return new(Behavior.Failed, $"the server refused with {answered}{versionNote}: the refusal must name the versions it speaks. {rule.RfcWords}", CloseBehavior.Informational, NoConnection);
        }

        if (rule.Ok.Contains(status) && (rule.VersionField == VersionField.None || namesVersion))
        {
            return new(Behavior.Ok, $"the server refused with {answered}{(rule.VersionField == VersionField.None ? "" : versionNote)}, as required", CloseBehavior.Informational, NoConnection);
        }

        if (rule.Ok.Contains(status) || rule.NonStrict.Contains(status))
        {
            string preferred = $"{rule.Ok}{(rule.VersionField == VersionField.None ? "" : " with Sec-WebSocket-Version: 13")}";
            return new(Behavior.NonStrict, $"the server refused with {answered}{(rule.VersionField == VersionField.None ? "" : versionNote)}; acceptable, but {preferred} is what the RFC names. {rule.RfcWords}", CloseBehavior.Informational, NoConnection);
        }

        return new(Behavior.Failed, $"the server answered {answered}, not an error status that refuses the handshake ({rule.Ok}). {rule.RfcWords}", CloseBehavior.Informational, NoConnection);
    }

    private static Verdicts? ClientFails(HandshakeRule rule, HandshakeObservations handshake)
    {
        if (handshake.Client is not { } reaction)
        {
            return null;
        }

        if (reaction.WentOn && rule is HandshakeRule.ClientFails { GoingOnIsNonStrict: { } lenient })
        {
            return new(Behavior.NonStrict, $"the client went on with the connection: {reaction.Words}. {lenient}", CloseBehavior.Informational, NoConnection);
        }

        if (reaction.WentOn)
        {
            return new(Behavior.Failed, $"the client went on with the connection: {reaction.Words}. {rule.RfcWords}", CloseBehavior.Informational, NoConnection);
        }

        return reaction.Closed
            ? new(Behavior.Ok, $"the client failed the connection: {reaction.Words}", CloseBehavior.Informational, NoConnection)
            : new(Behavior.NonStrict, $"the client did not use the connection, but did not close it either: {reaction.Words}. RFC 6455 §7.1.7: to fail the WebSocket connection the client must close it", CloseBehavior.Informational, NoConnection);
    }

    private static string Status(int status) => $"HTTP {status}";
}
