using System.CommandLine;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Cli;

/// <summary>No subcommand: the whole catalogue against the embedded Kestrel echo server, results in ./reports.</summary>
internal static class DefaultRun
{
    public static void Configure(RootCommand root)
    {
        var cases = CaseOptions.Cases();
        var exclude = CaseOptions.Exclude();
        var outDir = new Option<string>("--out", "-o") { Description = "Results folder", DefaultValueFactory = _ => "reports" };
        var common = new CommonOptions(defaultParallel: Environment.ProcessorCount * 4);
        var report = new ReportOptions();
        root.Options.Add(cases);
        root.Options.Add(exclude);
        root.Options.Add(outDir);
        common.AddTo(root);
        report.AddTo(root);
        root.SetAction(async (parse, cancel) =>
        {
            var selected = RunPlan.SelectFromFlags(parse.GetValue(cases), parse.GetValue(exclude));
            var reportSettings = report.From(parse) with { EmbeddedTarget = true };
            bool verbose = parse.GetValue(common.Verbose);
            await using var server = await KestrelEchoServer.StartAsync(cancel: cancel).ConfigureAwait(false);
            Console.Out.WriteLine($"Testing the embedded {KestrelEchoServer.Agent} echo server at {server.Url} with {selected.Count} cases…");
            var options = new ServerTestOptions
            {
                Plan = RunPlan.ForServer(new ServerTarget(KestrelEchoServer.Agent, server.Url), selected),
                Parallel = common.ParallelFrom(parse),
                Timers = common.TimersFrom(parse),
                Verbose = verbose,
            };
            using var logging = CommonOptions.Logging(verbose);
            var facts = new RunFacts(ServerTesting.Facts(options, embeddedTarget: true), "(default run)");
            return await ServerTesting.ExecuteAsync(options, parse.GetValue(outDir) ?? "reports", facts, reportSettings, logging, cancel).ConfigureAwait(false);
        });
    }
}
