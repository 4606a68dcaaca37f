using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// Category 9 (spec §1.9): each reply must be a message of the type and length sent (content is not
/// compared). The first mismatch fails the case and the tester closes at once; so does the last good reply.
/// </summary>
internal sealed class EchoMonitor(ExpectEchoes rule) : BehaviorMonitor
{
    private int _matched;
    private string? _mismatch;

    public override int EchoesMatched => _matched;

    public override string? EchoMismatch => _mismatch;

    public override AutoClose? OnEvent(IReadOnlyList<Event> recorded, Event @event)
    {
        if (@event is not MessageEvent message)
        {
            return null;
        }

        if (_mismatch is not null || _matched >= rule.Count)
        {
            _mismatch ??= $"an extra message arrived after the {rule.Count} expected";
            return null;
        }

        if (message.IsBinary != rule.IsBinary || message.Payload.Length != rule.Length)
        {
            _mismatch = $"reply {_matched + 1} was a {(message.IsBinary ? "binary" : "text")} message of {message.Payload.Length} octets; expected {(rule.IsBinary ? "binary" : "text")} of {rule.Length}";
            return new AutoClose(null);
        }

        _matched++;
        return _matched == rule.Count ? new AutoClose(null) : null;
    }

    public override (Behavior, string) Judge(Observations seen)
    {
        string kind = $"{(rule.IsBinary ? "binary" : "text")} message{(rule.Count == 1 ? "" : "s")} of {rule.Length} octets";
        if (seen.EchoMismatch is { } mismatch)
        {
            return (Behavior.Failed, mismatch);
        }

        if (seen.EchoesMatched == rule.Count)
        {
            return (Behavior.Ok, $"received {rule.Count} {kind} back, each of the right type and length");
        }

        if (Refusal(seen) is { } refused)
        {
            return (Behavior.Failed, refused);
        }

        string when = seen.TimerFired is { } timer ? $" before {timer} fired" : " before the connection ended";
        return (Behavior.Failed, $"received {seen.EchoesMatched} of {rule.Count} {kind}{when}");
    }

    /// <summary>
    /// A peer that closed with 1009 (Message Too Big) or 1008 (Policy Violation) refused the message:
    /// RFC 6455 §10.4 lets it limit what it accepts, but the case asks for the echo, so it stays FAILED
    /// as in Autobahn; the reason says where the limit lies.
    /// </summary>
    private string? Refusal(Observations seen)
    {
        if (seen.Closing.ClosedByMe || seen.Closing.RemoteCloseCode is not ((int)Cases.Protocol.CloseCodes.MessageTooBig or (int)Cases.Protocol.CloseCodes.PolicyViolation) || seen.Closing.RemoteCloseCode is not { } code)
        {
            return null;
        }

        int frames = seen.TxFrames.Where(f => f.Key is 0 or 1 or 2).Sum(f => f.Value);
        string what = rule.Count == 1
            ? $"the {(rule.IsBinary ? "binary" : "text")} message of {rule.Length} octets ({frames} frame{(frames == 1 ? "" : "s")})"
            : $"message {seen.EchoesMatched + 1} of {rule.Count} ({rule.Length} octets each, {frames} frames sent by then)";
        string reason = seen.Closing.RemoteCloseReason is { Length: > 0 } r ? $" \"{r}\"" : "";
        return $"the peer refused {what} with close code {code} ({Cases.Protocol.CloseCodes.Describe(code)}){reason}: " +
               "RFC 6455 §10.4 lets an endpoint limit the size of the messages it accepts, but this case asks for the echo (FAILED, as in Autobahn)";
    }
}
