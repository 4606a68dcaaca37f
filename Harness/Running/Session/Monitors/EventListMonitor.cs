using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// Event-list matching (spec §2.2): the recorded events must equal the OK list (or the NON-STRICT
/// list). When they equal the OK list and the tester is the expected closer, it closes at once (§0.6).
/// </summary>
internal sealed class EventListMonitor(Case @case, ExpectEvents rule) : BehaviorMonitor
{
    private readonly bool _autoClose = @case.Close.ClosedByTester && !@case.Flags.HasFlag(CaseFlags.NoAutoClose);

    public override bool HashesContent => true;

    public override AutoClose? OnEvent(IReadOnlyList<Event> recorded, Event @event) =>
        _autoClose && recorded.SequenceEqual(rule.Ok) ? new AutoClose("received the expected events: closing") : null;

    public override (Behavior, string) Judge(Observations seen)
    {
        string received = Describe(seen.Events, seen.EventsTruncated);
        if (!seen.EventsTruncated && seen.Events.SequenceEqual(rule.Ok))
        {
            return (Behavior.Ok, $"received what was expected: {received}");
        }

        if (!seen.EventsTruncated && rule.NonStrict is { } nonStrict && seen.Events.SequenceEqual(nonStrict))
        {
            return (Behavior.NonStrict, $"received {received}: acceptable, but stricter behaviour is preferred ({Describe(rule.Ok, false)})");
        }

        string expected = Describe(rule.Ok, false);
        string why = FirstDifference(rule.Ok, seen.Events);
        return (Behavior.Failed, $"expected {expected}, received {received}{why}");
    }

    internal static string Describe(IReadOnlyList<Event> events, bool truncated) =>
        events.Count == 0 ? "nothing" : "[" + string.Join("; ", events.Take(8).Select(e => e.Describe())) + (events.Count > 8 ? $"; … {events.Count - 8} more" : "") + (truncated ? " (too many to keep)" : "") + "]";

    internal static string FirstDifference(IReadOnlyList<Event> expected, IReadOnlyList<Event> received)
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
