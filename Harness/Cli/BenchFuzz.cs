using System.Diagnostics;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Cli;

/// <summary>
/// <c>bench --fuzz</c>: generated cases per second against the npm 'ws' echo server, and the CPU time
/// the harness and ws each spent (a ratio survives a loaded machine; the wall time does not). Measured
/// after a warm-up campaign, as category 9 is: a campaign runs for minutes, so its rate is the rate once
/// the code is compiled; the warm-up's own figures are printed too.
/// </summary>
internal static class BenchFuzz
{
    public const int Cases = 10_000;
    public const int WarmUpCases = 1_000;

    public static async Task RunAsync(int? parallel, CancellationToken cancel)
    {
        int width = parallel ?? CampaignOptions.ServerDefaultParallel;
        await using var ws = await NodeWsServer.StartAsync(cancel: cancel).ConfigureAwait(false);
        var warmUp = await MeasureAsync(ws, seed: 2, WarmUpCases, width, cancel).ConfigureAwait(false);
        Console.Out.WriteLine($"warm-up: {warmUp.Describe(2, width)} (not counted)");
        var measured = await MeasureAsync(ws, seed: 1, Cases, width, cancel).ConfigureAwait(false);
        Console.Out.WriteLine($"fuzz: {measured.Describe(1, width)}");
        Console.Out.WriteLine($"  target: >= 1000 cases/s [{(measured.Rate >= 1000 ? "met" : "missed")}], harness CPU <= ws CPU [{(measured.Ratio <= 1 ? "met" : "missed")}]");
        Console.Out.WriteLine("  (the wall figure depends on the machine's load; the CPU ratio much less)");
    }

    private static async Task<Figures> MeasureAsync(NodeWsServer ws, ulong seed, int count, int parallel, CancellationToken cancel)
    {
        var options = new CampaignOptions { Seed = seed, Count = count, Parallel = parallel, MaxShrinkRuns = 0, FindingsPerSignature = 0 };
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
        return new Figures(campaign.Counters.Run, clock.Elapsed, (self.TotalProcessorTime - harnessCpu).TotalSeconds, (ws.Process.TotalProcessorTime - wsCpu).TotalSeconds, campaign.Counters.Findings);
    }

    private sealed record Figures(long Run, TimeSpan Wall, double HarnessCpu, double WsCpu, long NotPassed)
    {
        public double Rate => Run / Wall.TotalSeconds;

        public double Ratio => HarnessCpu / Math.Max(0.001, WsCpu);

        public string Describe(ulong seed, int parallel) =>
            $"{Run} generated cases (seed {seed}, --parallel {parallel}) against ws in {Wall.TotalSeconds:0.0} s wall = {Rate:0} cases/s; " +
            $"CPU: harness {HarnessCpu:0.0} s, ws {WsCpu:0.0} s, harness/ws {Ratio:0.00}; not passed {NotPassed}";
    }
}
