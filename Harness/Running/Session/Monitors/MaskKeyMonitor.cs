using System.Globalization;
using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// 11.3.x: the event list as usual, then the client's masking keys (RFC 6455 §5.3): a repeated or an all-zero key,
/// whichever the case checks, fails it. The reason lists the keys, so the case page shows them.
/// </summary>
internal sealed class MaskKeyMonitor(Case @case, ExpectFreshMaskKeys rule) : BehaviorMonitor
{
    private readonly EventListMonitor _events = new(@case, rule.Events);

    public override bool HashesContent => true;

    public override AutoClose? OnEvent(IReadOnlyList<Event> recorded, Event @event) => _events.OnEvent(recorded, @event);

    public override (Behavior Behavior, string Reason) Judge(Observations seen)
    {
        var (behavior, reason) = _events.Judge(seen);
        var keys = seen.PeerMaskKeys;
        string listed = $"the client's masking keys ({keys.Count} frames): {string.Join(" ", keys.Take(32).Select(k => k.ToString("x8", CultureInfo.InvariantCulture)))}{(keys.Count > 32 ? " …" : "")}";
        if (rule.Check.HasFlag(MaskKeyCheck.NoRepeats) && keys.GroupBy(k => k).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            return (Behavior.Failed, $"the client used the masking key {repeated.Key:x8} for {repeated.Count()} frames: RFC 6455 §5.3 asks for a fresh, unpredictable key per frame; {listed}");
        }

        if (rule.Check.HasFlag(MaskKeyCheck.NoZeroKey) && keys.Count(k => k == 0) is > 0 and var zeros)
        {
            return (Behavior.Failed, $"the client masked {zeros} frame(s) with the key 00000000, which leaves the payload unmasked on the wire (RFC 6455 §5.3, §10.3); {listed}");
        }

        return (behavior, $"{reason}; {listed}");
    }
}
