using Conformance.Cases.Scripting;

namespace Conformance.Harness.Running;

/// <summary>
/// A last-resort bound on a case, in case a timer path is missed: every pause and timer of the
/// script, plus the closing timeouts, plus a margin. A case never runs longer than this.
/// </summary>
internal static class Watchdog
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    public static TimeSpan For(Case @case)
    {
        var pauses = TimeSpan.Zero;
        var longestTimer = TimeSpan.Zero;
        foreach (var step in @case.Script)
        {
            switch (step)
            {
                case Pause p:
                    pauses += p.Duration;
                    break;
                case SendFrameInParts parts:
                    pauses += parts.Pauses.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Duration);
                    break;
                case ArmKill k when k.After > longestTimer:
                    longestTimer = k.After;
                    break;
                case ArmCloseAfter c when c.After > longestTimer:
                    longestTimer = c.After;
                    break;
            }
        }

        return pauses + longestTimer + TimeSpan.FromSeconds(2) + Margin;
    }

    /// <summary>Every pause of the script (W steps and the pauses between parts of a frame), unscaled.</summary>
    public static TimeSpan Pauses(Case @case) => @case.Script.Aggregate(TimeSpan.Zero, (sum, step) => sum + step switch
    {
        Pause p => p.Duration,
        SendFrameInParts parts => parts.Pauses.Aggregate(TimeSpan.Zero, (s, p) => s + p.Duration),
        _ => TimeSpan.Zero,
    });
}
