using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// Generated cases (<see cref="ExpectEventsWithLatitude"/>): contents are compared, the tester never
/// closes early (the script ends with its own close), and the events are matched with the latitude
/// RFC 6455 gives (§5.5.3 pongs, echoes and pongs interleaved, NON-STRICT late UTF-8 failures).
/// </summary>
internal sealed class LatitudeMonitor(ExpectEventsWithLatitude rule) : BehaviorMonitor
{
    public override bool HashesContent => true;

    public override AutoClose? OnEvent(IReadOnlyList<Event> recorded, Event @event) => null;

    public override (Behavior Behavior, string Reason) Judge(Observations seen)
    {
        string received = Describe(seen.Events, seen.EventsTruncated);
        if (seen.EventsTruncated)
        {
            return (Behavior.Failed, $"received {received}");
        }

        if (LatitudeMatch.Mismatch(rule.Ok, seen.Events) is not { } problem)
        {
            return (Behavior.Ok, $"received what was expected: {received}");
        }

        if (rule.NonStrictOutcomes.Any(ns => LatitudeMatch.Mismatch(ns, seen.Events) is null))
        {
            return (Behavior.NonStrict, $"received {received}: the invalid text was failed at the end of its message, not at once (acceptable, stricter is preferred)");
        }

        return (Behavior.Failed, $"expected {Describe(rule.Ok, false)}, received {received} ({problem})");
    }

    private static string Describe(IReadOnlyList<Event> events, bool truncated) =>
        events.Count == 0 ? "nothing" : "[" + string.Join("; ", events.Take(8).Select(e => e.Describe())) + (events.Count > 8 ? $"; … {events.Count - 8} more" : "") + (truncated ? " (too many to keep)" : "") + "]";
}
