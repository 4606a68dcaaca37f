using System.Diagnostics;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Cli;

/// <summary>
/// <c>bench --fuzz</c>: generated cases per second against the npm 'ws' echo server, and the CPU time
/// the harness and ws each spent (a ratio survives a loaded machine; the wall time does not).
/// </summary>
internal static class BenchFuzz
{
    public const int Cases = 5000;

    public static async Task RunAsync(int parallel, CancellationToken cancel)
    {
        await using var ws = await NodeWsServer.StartAsync(cancel: cancel).ConfigureAwait(false);
        var options = new CampaignOptions { Seed = 1, Count = Cases, Parallel = parallel, MaxShrinkRuns = 0, FindingsPerSignature = 0 };
        string folder = Path.Combine(Path.GetTempPath(), "wsconf-bench-fuzz");
        var campaign = new Campaign(options, ServerCaseRun.For(new ServerTarget(NodeWsServer.Agent, ws.Url), options.Timers), new FindingWriter(folder, ws.Url), null, _ => { });
        var self = Process.GetCurrentProcess();
        var harnessCpu = self.TotalProcessorTime;
        ws.Process.Refresh();
        var wsCpu = ws.Process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await campaign.RunAsync(cancel).ConfigureAwait(false);
        clock.Stop();
        self.Refresh();
        ws.Process.Refresh();
        double harness = (self.TotalProcessorTime - harnessCpu).TotalSeconds;
        double node = (ws.Process.TotalProcessorTime - wsCpu).TotalSeconds;
        Console.Out.WriteLine($"fuzz: {campaign.Counters.Run} generated cases (seed 1, --parallel {parallel}) against ws in {clock.Elapsed.TotalSeconds:0.0} s wall = {campaign.Counters.Run / clock.Elapsed.TotalSeconds:0} cases/s; " +
            $"CPU: harness {harness:0.0} s, ws {node:0.0} s, harness/ws {harness / Math.Max(0.001, node):0.00}; not passed {campaign.Counters.Findings}");
        Console.Out.WriteLine("  (the wall figure depends on the machine's load; the CPU ratio much less)");
    }
}
