using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// 2.10/2.11 (<see cref="ExpectPongs"/>): all pongs in order are OK and close at once, as the event
/// list does (spec §0.6). Our deliberate difference from Autobahn: an in-order subset of the pongs
/// that ends with the pong for the last ping is NON-STRICT, because RFC 6455 §5.5.3 lets an endpoint
/// answer only the most recent of the pings it has not answered yet. A peer that answers only the
/// first ping, or leaves the last one unanswered, stays FAILED.
/// </summary>
internal sealed class PongMonitor(Case @case, ExpectPongs rule) : BehaviorMonitor
{
    private readonly bool _autoClose = @case.Close.ClosedByTester && !@case.Flags.HasFlag(CaseFlags.NoAutoClose);

    public override bool HashesContent => true;

    public override AutoClose? OnEvent(IReadOnlyList<Event> recorded, Event @event) =>
        _autoClose && recorded.SequenceEqual(rule.Pongs) ? new AutoClose("received the expected events: closing") : null;

    public override (Behavior, string) Judge(Observations seen)
    {
        string received = EventListMonitor.Describe(seen.Events, seen.EventsTruncated);
        if (!seen.EventsTruncated && seen.Events.SequenceEqual(rule.Pongs))
        {
            return (Behavior.Ok, $"received what was expected: {received}");
        }

        if (!seen.EventsTruncated && AnswersLatest(seen.Events))
        {
            return (Behavior.NonStrict, $"received {received}: {seen.Events.Count} of {rule.Pongs.Count} pings answered, in order, the last one among them; " +
                                        "RFC 6455 §5.5.3 allows answering only the most recent ping, but a pong for every ping is preferred (Autobahn: FAILED)");
        }

        string why = EventListMonitor.FirstDifference(rule.Pongs, seen.Events);
        return (Behavior.Failed, $"expected {EventListMonitor.Describe(rule.Pongs, false)}, received {received}{why}");
    }

    /// <summary>A non-empty in-order subsequence of the expected pongs that ends with the last one.</summary>
    private bool AnswersLatest(IReadOnlyList<Event> events)
    {
        if (events.Count == 0 || !events[^1].Equals(rule.Pongs[^1]))
        {
            return false;
        }

        int next = 0;
        foreach (var e in events)
        {
            while (next < rule.Pongs.Count && !rule.Pongs[next].Equals(e))
            {
                next++;
            }

            if (next == rule.Pongs.Count)
            {
                return false;
            }

            next++;
        }

        return true;
    }
}
