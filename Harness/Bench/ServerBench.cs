using System.Diagnostics;
using Conformance.Cases;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;
using Conformance.Reports.Model;

namespace Conformance.Harness.Bench;

/// <summary>
/// The speed and memory figures of the README, measured against the npm 'ws' echo server: categories 1–7 and
/// 10 in parallel and serially (wall time), category 9 (the harness's CPU time against the server's, and the
/// harness's peak resident memory), and categories 12/13 against ws with perMessageDeflate (wall time, and the
/// harness's CPU time against the server's).
/// </summary>
internal static class ServerBench
{
    public static async Task RunAsync(int parallel, bool compressionOnly, bool skipCompression, CancellationToken cancel)
    {
        if (compressionOnly)
        {
            await CompressionPhaseAsync(parallel, cancel).ConfigureAwait(false);
            return;
        }

        NodeWsServer server;
        try
        {
            server = await NodeWsServer.StartAsync(cancel: cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new UsageException($"cannot start the ws echo server: {e.Message}");
        }

        await using (server.ConfigureAwait(false))
        {
            var quick = CaseSelection.Select(Catalogue.All, ["1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*"], []);
            var limits = CaseSelection.Select(Catalogue.All, ["9.*"], []);
            Console.Out.WriteLine($"Target: {NodeWsServer.Package} at {server.Url} (node pid {server.Process.Id}); {Environment.ProcessorCount} cores");

            var (wallParallel, failedParallel) = await TimeAsync(server.Url, quick, parallel, cancel).ConfigureAwait(false);
            Report($"categories 1-7, 10 ({quick.Count} cases), --parallel {parallel}", wallParallel, 3, failedParallel);
            var (wallSerial, failedSerial) = await TimeAsync(server.Url, quick, 1, cancel).ConfigureAwait(false);
            Report($"categories 1-7, 10 ({quick.Count} cases), serial", wallSerial, 15, failedSerial);

            // One unmeasured round first: the JIT's work on code only category 9 runs is start-up, not steady state.
            await TimeAsync(server.Url, limits, 1, cancel).ConfigureAwait(false);
            var me = Process.GetCurrentProcess();
            double myTotal = 0, serverTotal = 0, wallTotal = 0;
            foreach (var group in limits.GroupBy(c => c.Id.Subcategory))
            {
                server.Process.Refresh();
                me.Refresh();
                var serverCpu0 = server.Process.TotalProcessorTime;
                var myCpu0 = me.TotalProcessorTime;
                var (wall, failed) = await TimeAsync(server.Url, group.ToArray(), 1, cancel).ConfigureAwait(false);
                server.Process.Refresh();
                me.Refresh();
                double serverCpu = (server.Process.TotalProcessorTime - serverCpu0).TotalSeconds;
                double myCpu = (me.TotalProcessorTime - myCpu0).TotalSeconds;
                Console.Out.WriteLine($"    {group.Key,-5} {wall,6:F2} s wall  CPU harness {myCpu,5:F2} s  ws {serverCpu,5:F2} s  {(failed > 0 ? $"{failed} not OK" : "")}");
                myTotal += myCpu;
                serverTotal += serverCpu;
                wallTotal += wall;
            }

            Console.Out.WriteLine($"  category 9 ({limits.Count} cases), serial, after one warm-up round: {wallTotal:F2} s wall; CPU: harness {myTotal:F2} s, ws server {serverTotal:F2} s -> harness/ws {(serverTotal > 0 ? myTotal / serverTotal : double.PositiveInfinity):F2} (target <= 0.5) [{(myTotal <= serverTotal / 2 ? "met" : "missed")}]");
            double peakMb = me.PeakWorkingSet64 / (1024.0 * 1024.0);
            Console.Out.WriteLine($"  peak resident memory of the harness over categories 1-10: {peakMb:F0} MB (target <= 200 MB) [{(peakMb <= 200 ? "met" : "missed")}]");
        }

        if (!skipCompression)
        {
            await CompressionPhaseAsync(parallel, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Categories 12 and 13 (216 cases, 1000 compressed round trips each) against ws with perMessageDeflate,
    /// --parallel N: wall time, and the CPU time of the harness against the ws server's.
    /// </summary>
    private static async Task CompressionPhaseAsync(int parallel, CancellationToken cancel)
    {
        NodeWsServer server;
        try
        {
            server = await NodeWsServer.StartAsync(deflate: true, cancel: cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new UsageException($"cannot start the ws echo server: {e.Message}");
        }

        await using (server.ConfigureAwait(false))
        {
            var cases = CaseSelection.Select(Catalogue.All, ["12.*", "13.*"], []);
            Console.Out.WriteLine($"Compression: {NodeWsServer.Package} with perMessageDeflate at {server.Url} (node pid {server.Process.Id}); zlib {Wire.Deflate.Zlib.Version}");
            var me = Process.GetCurrentProcess();
            server.Process.Refresh();
            me.Refresh();
            var serverCpu0 = server.Process.TotalProcessorTime;
            var myCpu0 = me.TotalProcessorTime;
            double? loop0 = MainThreadCpuSeconds(server.Process);
            var (wall, notOk) = await TimeAsync(server.Url, cases, parallel, cancel).ConfigureAwait(false);
            double? loop = MainThreadCpuSeconds(server.Process) - loop0;
            server.Process.Refresh();
            me.Refresh();
            double serverCpu = (server.Process.TotalProcessorTime - serverCpu0).TotalSeconds;
            double myCpu = (me.TotalProcessorTime - myCpu0).TotalSeconds;
            double share = serverCpu > 0 ? myCpu / serverCpu : double.PositiveInfinity;
            Report($"categories 12-13 ({cases.Count} cases), --parallel {parallel}", wall, 120, notOk);
            Console.Out.WriteLine($"  CPU: harness {myCpu:F1} s, ws server {serverCpu:F1} s -> harness/ws {share:F2} (target < 0.5) [{(share < 0.5 ? "met" : "missed")}]; " +
                                  $"ws busy {serverCpu / wall:F2} cores, harness {myCpu / wall:F2} cores of {Environment.ProcessorCount}");
            if (loop is { } busy)
            {
                // ws parses frames, starts every inflate and deflate and writes on Node's one event-loop thread
                // (zlib itself runs on the libuv pool): that thread's time is a floor no tester can lower.
                Console.Out.WriteLine($"  ws event-loop thread: {busy:F1} s of CPU ({busy / wall:F2} of the wall time); the rest of ws's CPU is its zlib thread pool");
            }

            Console.Out.WriteLine($"  peak resident memory of the harness so far: {me.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MB");
        }
    }

    /// <summary>User + system CPU seconds of a process's main thread (Linux /proc; null elsewhere).</summary>
    private static double? MainThreadCpuSeconds(Process process)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{process.Id}/task/{process.Id}/stat");
            // Fields after the command name (which may contain spaces) start after the last ')': utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static void Report(string what, double seconds, double target, int notOk) =>
        Console.Out.WriteLine($"  {what}: {seconds:F2} s wall (target <= {target} s) [{(seconds <= target ? "met" : "missed")}], {notOk} case(s) not OK");

    private static async Task<(double Seconds, int NotOk)> TimeAsync(Uri url, IReadOnlyList<Cases.Scripting.Case> cases, int parallel, CancellationToken cancel)
    {
        var options = new ServerTestOptions { Plan = RunPlan.ForServer(new ServerTarget(NodeWsServer.Agent, url), cases), Parallel = parallel };
        var clock = Stopwatch.StartNew();
        var results = await ServerTesting.RunAsync(options, _ => { }, null, cancel).ConfigureAwait(false);
        int notOk = results.Count(r => r.Behavior is not (Behavior.Ok or Behavior.NonStrict or Behavior.Informational));
        return (clock.Elapsed.TotalSeconds, notOk);
    }
}
