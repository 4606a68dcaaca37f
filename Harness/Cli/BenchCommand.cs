using System.CommandLine;
using System.Diagnostics;
using Conformance.Cases;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Roles;
using Conformance.Harness.Targets;
using Conformance.Reports.Model;

namespace Conformance.Harness.Cli;

/// <summary>
/// <c>bench</c>: the speed and memory figures of the README, measured against the npm 'ws' echo
/// server: categories 1–7 and 10 in parallel and serially (wall time), category 9 (the harness's
/// CPU time against the server's, and the harness's peak resident memory).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var parallel = new Option<int>("--parallel", "-j") { Description = "Cases at once in the parallel phase", DefaultValueFactory = _ => 8 };
        var command = new Command("bench", "Measure speed and memory against the npm 'ws' echo server (installs ws on first use)") { parallel };
        command.SetAction(async (parse, cancel) =>
        {
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

                var (wallParallel, failedParallel) = await TimeAsync(server.Url, quick, parse.GetValue(parallel), cancel).ConfigureAwait(false);
                Report($"categories 1-7, 10 ({quick.Count} cases), --parallel {parse.GetValue(parallel)}", wallParallel, 3, failedParallel);
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

                Console.Out.WriteLine($"  category 9 ({limits.Count} cases), serial, after one warm-up round: {wallTotal:F2} s wall; CPU: harness {myTotal:F2} s, ws server {serverTotal:F2} s -> {(myTotal < serverTotal ? "harness uses less [target met]" : "harness uses MORE [target missed]")}");
                double peakMb = me.PeakWorkingSet64 / (1024.0 * 1024.0);
                Console.Out.WriteLine($"  peak resident memory of the harness over the whole bench: {peakMb:F0} MB (target <= 200 MB) [{(peakMb <= 200 ? "met" : "missed")}]");
            }

            return ExitCodes.Passed;
        });
        return command;
    }

    private static void Report(string what, double seconds, double target, int notOk) =>
        Console.Out.WriteLine($"  {what}: {seconds:F2} s wall (target <= {target} s) [{(seconds <= target ? "met" : "missed")}], {notOk} case(s) not OK");

    private static async Task<(double Seconds, int NotOk)> TimeAsync(Uri url, IReadOnlyList<Cases.Scripting.Case> cases, int parallel, CancellationToken cancel)
    {
        var options = new ServerTestOptions { Targets = [new ServerTarget(NodeWsServer.Agent, url)], Cases = cases, Parallel = parallel };
        var clock = Stopwatch.StartNew();
        var results = await ServerTesting.RunAsync(options, _ => { }, null, cancel).ConfigureAwait(false);
        int notOk = results.Count(r => r.Behavior is not (Behavior.Ok or Behavior.NonStrict or Behavior.Informational));
        return (clock.Elapsed.TotalSeconds, notOk);
    }
}
