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

        string when = seen.TimerFired is { } timer ? $" before {timer} fired" : " before the connection ended";
        return (Behavior.Failed, $"received {seen.EchoesMatched} of {rule.Count} {kind}{when}");
    }
}
