using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>The behaviour rule asks the tester to start the closing handshake now (with 1000); the note says why, for the wire log.</summary>
internal readonly record struct AutoClose(string? Note);

/// <summary>
/// One behaviour rule at work: it watches what the peer sends while the case runs (and may ask the
/// tester to close, spec §0.6), and it gives the behaviour verdict from the observations (spec §2.2).
/// A new rule is a new <see cref="BehaviorRule"/> record in the catalogue's vocabulary, one monitor
/// class, and its line in <see cref="For"/>. Called under the session lock while the case runs.
/// </summary>
internal abstract class BehaviorMonitor
{
    public static BehaviorMonitor For(Case @case) => @case.Behavior switch
    {
        ExpectEvents rule => new EventListMonitor(@case, rule),
        ExpectPongs rule => new PongMonitor(@case, rule),
        ExpectEventsWithLatitude rule => new LatitudeMonitor(rule),
        ExpectEchoes rule => new EchoMonitor(rule),
        ExpectDataSetEchoes rule => new DataSetEchoMonitor(rule),
        ExpectFreshMaskKeys rule => new MaskKeyMonitor(@case, rule),
        var rule => throw new NotSupportedException($"behaviour rule {rule.GetType().Name} has no monitor"),
    };

    /// <summary>Whether message contents are hashed for comparison (the event lists compare content).</summary>
    public virtual bool HashesContent => false;

    /// <summary>Replies that matched so far, and the first that did not (echo rules).</summary>
    public virtual int EchoesMatched => 0;

    public virtual string? EchoMismatch => null;

    /// <summary>Octets of the data message being received, as they arrive (decompressed).</summary>
    public virtual void OnMessageOctets(ReadOnlySpan<byte> octets)
    {
    }

    /// <summary>An event was recorded (it is the last of <paramref name="recorded"/>).</summary>
    public abstract AutoClose? OnEvent(IReadOnlyList<Event> recorded, Event @event);

    /// <summary>The behaviour verdict, from the observations alone.</summary>
    public abstract (Behavior Behavior, string Reason) Judge(Observations seen);
}
