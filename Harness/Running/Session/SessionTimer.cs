using System.Diagnostics;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>Arms the timers of one session; each action runs under the session lock unless the connection is already gone.</summary>
/// <remarks>A case timer a <see cref="StallMonitor"/> fired early does not fire again.</remarks>
internal sealed class SessionTimer(object gate, Timers timers, WireRecorder log, CancellationToken stop, Func<bool> connectionGone, StallMonitor? stall = null)
{
    public void Schedule(TimeSpan delay, string label, Action action)
    {
        var scaled = timers.Scaled(delay);
        var pending = stall?.Armed(label, delay, action);
        _ = Task.Delay(scaled, stop).ContinueWith(t =>
        {
            if (t.IsCanceled)
            {
                return;
            }

            lock (gate)
            {
                if (!connectionGone() && pending is not { Fired: true })
                {
                    pending?.Fired = true;
                    log.Note(WireDirection.Local, $"{label} ({scaled.TotalSeconds:0.###} s) fired");
                    action();
                }
            }
        }, TaskScheduler.Default);
    }

    /// <summary>For components that touch shared state: the caller holds the session lock.</summary>
    [Conditional("DEBUG")]
    public static void AssertHeld(object gate) => Debug.Assert(Monitor.IsEntered(gate), "the session lock must be held here");
}
