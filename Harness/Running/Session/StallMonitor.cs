using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// A stalled peer (issue 13.9): while a case timer (K or C, spec §0.4) is pending and the connection is open, if
/// not one octet has moved on the connection — nothing received from the peer and nothing of the tester's taken by
/// it — for the stall bound, the pending timer is treated as fired now: the same action, so the same verdict, with
/// "no octet from the peer for N s" in its label. A peer that goes silent in the middle of a 12/13 case then costs
/// the bound, not the case's C(WAIT) of up to 480 s. The bound is <see cref="Quiet"/> plus every pause of the case,
/// scaled like every timer, so a case's own waiting is never taken for a stall.
/// </summary>
internal sealed class StallMonitor
{
    /// <summary>Silence that counts as a stall, before the case's pauses are added and the scale applied.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    private readonly object _gate;
    private readonly WireRecorder _log;
    private readonly Func<long> _octetsMoved;
    private readonly Func<bool> _open;
    private readonly Action<string> _markFired;
    private readonly List<PendingTimer> _pending = [];

    /// <summary>A case timer that has not fired: its label and what firing it does.</summary>
    public sealed class PendingTimer(string label, TimeSpan after, Action fire)
    {
        public string Label { get; } = label;

        public TimeSpan After { get; } = after;

        public Action Fire { get; } = fire;

        public bool Fired { get; set; }
    }

    /// <param name="gate">The session lock: timers fire under it.</param>
    /// <param name="octetsMoved">Octets received plus octets sent so far (read under the lock).</param>
    /// <param name="open">The connection is open (neither side has started closing).</param>
    /// <param name="markFired">Names the timer that ended the case (under the lock), before its action runs.</param>
    public StallMonitor(object gate, Case @case, Timers timers, WireRecorder log, Func<long> octetsMoved, Func<bool> open, Action<string> markFired)
    {
        _markFired = markFired;
        _gate = gate;
        _log = log;
        _octetsMoved = octetsMoved;
        _open = open;
        Bound = timers.Scaled(Quiet + Watchdog.Pauses(@case));
    }

    public TimeSpan Bound { get; }

    /// <summary>A case timer was armed (under no lock); it counts as pending until it fires, by its own time or by a stall.</summary>
    public PendingTimer Armed(string label, TimeSpan after, Action fire)
    {
        var timer = new PendingTimer(label, after, fire);
        lock (_gate)
        {
            _pending.Add(timer);
        }

        return timer;
    }

    /// <summary>Watches until <paramref name="stop"/> fires (the session ends), checking ten times per bound.</summary>
    public async Task WatchAsync(CancellationToken stop)
    {
        var period = TimeSpan.FromTicks(Math.Max(Bound.Ticks / 10, TimeSpan.FromMilliseconds(10).Ticks));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long seen = -1;
        var quietSince = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(period, stop).ConfigureAwait(false);
            lock (_gate)
            {
                long moved = _octetsMoved();
                if (moved != seen || !_open())
                {
                    (seen, quietSince) = (moved, clock.Elapsed);
                    continue;
                }

                if (clock.Elapsed - quietSince < Bound || _pending.FirstOrDefault(t => !t.Fired) is not { } next)
                {
                    continue;
                }

                next.Fired = true;
                string why = $"no octet from the peer for {Bound.TotalSeconds:0.#} s";
                _log.Note(WireDirection.Local, $"{next.Label} treated as fired: {why}");
                _markFired($"the case timer ({next.After.TotalSeconds} s), cut short: {why}");
                next.Fire();
                quietSince = clock.Elapsed;
            }
        }
    }
}
