using Conformance.Cases;
using System.Diagnostics;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Roles;
using Conformance.Harness.Transport;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Cli;

/// <summary>The shared end of test-server and the default run: preflight, run, write, summarise, gate.</summary>
internal static class ServerRun
{
    public static async Task<int> ExecuteAsync(ServerTestOptions options, string outDir, string commandLine, ReportSettings report, ILoggerFactory logging, CancellationToken cancel)
    {
        var logger = logging.CreateLogger("wsconf");
        foreach (var target in options.Targets)
        {
            await PreflightAsync(target.Url, options.Timers.Scaled(options.Timers.OpenHandshake), cancel).ConfigureAwait(false);
        }

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        ResultsFolder folder;
        var info = new RunInfo
        {
            HarnessVersion = HarnessInfo.Version,
            CatalogueVersion = Catalogue.Version,
            Mode = "server",
            Started = started,
            Targets = options.Targets.ToDictionary(t => t.Agent, t => t.Url.ToString()),
            Options = new Dictionary<string, string>
            {
                ["cases"] = options.Cases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["parallel"] = options.Parallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["timeout-scale"] = options.Timers.Scale.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["insecure"] = options.AllowInvalidCertificates ? "true" : "false",
                ["target"] = report.EmbeddedTarget ? "embedded" : "given",
                ["gate"] = report.Gate.Describe(),
            },
            CommandLine = commandLine,
            ExcludedForAgent = options.Targets.ToDictionary(
                t => t.Agent,
                t => (IReadOnlyList<string>)options.Cases.Where(c => CaseSelection.IsExcludedForAgent(t.Agent, c.Id, options.ExcludeAgentCases)).Select(c => c.Id.Text).ToArray()),
        };
        var selection = ReportOptions.Entries(options.Cases);
        try
        {
            folder = new ResultsFolder(outDir);
            RunInfoFile.Write(folder.OutDir, info, selection); // lets './run.sh report DIR' render a run that was killed
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write to '{outDir}': {e.Message}");
        }

        var progress = new ProgressDisplay(options.Targets.Count * options.Cases.Count);
        var results = await ServerTesting.RunAsync(options, result =>
        {
            folder.Add(result);
            progress.Finished(result);
            logger.LogInformation("{Agent} {Case}: {Behavior} / {Close} ({Duration} ms)", result.Agent, result.CaseId, result.Behavior.Label(), result.CloseBehavior.Label(), result.DurationMs);
        }, options.Verbose ? line => logger.LogDebug("{Line}", line) : line => logger.LogWarning("{Line}", line), cancel).ConfigureAwait(false);
        progress.Done();

        var run = new RunResult(info with { Finished = DateTimeOffset.UtcNow }, results) { Selection = selection };
        RunInfoFile.Write(folder.OutDir, run.Info, selection);
        new ConsoleSummaryWriter().Write(run, Console.Out);
        Console.Out.WriteLine($"Ran {results.Count} case(s) in {clock.Elapsed.TotalSeconds:F1} s. Results: {Path.GetFullPath(folder.IndexPath)}");
        return ReportOutputs.Finish(run, folder.OutDir, null, report, Console.Out);
    }

    /// <summary>An unreachable target is a usage error (exit 2), found before any case runs.</summary>
    public static async Task PreflightAsync(Uri url, TimeSpan timeout, CancellationToken cancel)
    {
        try
        {
            await using var connection = await TcpConnection.ConnectAsync(url, timeout, allowInvalidCertificates: true, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            throw new UsageException($"cannot reach {url}: {ServerCaseRunner.Describe(e)}");
        }
    }
}

internal static class HarnessInfo
{
    public static string Version { get; } = typeof(HarnessInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
