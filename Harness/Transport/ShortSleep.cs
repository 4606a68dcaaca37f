using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Conformance.Harness.Transport;

/// <summary>
/// Waits a fraction of a millisecond without burning a core. .NET's sleeps and timers count whole milliseconds,
/// so on Linux the thread sleeps in nanosleep(2), with its timer slack set to 1 µs once (the kernel would
/// otherwise add up to 50 µs); elsewhere, or when a signal cuts the sleep short, it spins to the end.
/// </summary>
internal static partial class ShortSleep
{
    private const int PrSetTimerSlack = 29; // <linux/prctl.h>
    private const ulong TimerSlackNs = 1_000;

    [ThreadStatic]
    private static bool t_slackSet;

    public static void For(TimeSpan span)
    {
        long until = Stopwatch.GetTimestamp() + (long)(span.TotalSeconds * Stopwatch.Frequency);
        if (OperatingSystem.IsLinux())
        {
            if (!t_slackSet)
            {
                t_slackSet = true;
                _ = SetTimerSlack(PrSetTimerSlack, TimerSlackNs, 0, 0, 0);
            }

            var request = new TimeSpec { Seconds = 0, Nanoseconds = span.Ticks * 100 };
            _ = NanoSleep(in request, IntPtr.Zero);
        }

        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(20);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in TimeSpec request, IntPtr remaining);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int SetTimerSlack(int option, ulong slack, ulong unused3, ulong unused4, ulong unused5);
}
