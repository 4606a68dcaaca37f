using System.Diagnostics;
using System.Globalization;
using Conformance.Harness.Cli;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Reports.Model;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Roles;

/// <summary>What a server-testing run needs: the plan (targets × cases) and how to run it.</summary>
internal sealed record ServerTestOptions
{
    public required RunPlan Plan { get; init; }

    public int Parallel { get; init; } = 1;

    public Timers Timers { get; init; } = new();

    public bool Verbose { get; init; }

    public bool AllowInvalidCertificates { get; init; }

    /// <summary>Keep only each finished case's summary (<see cref="CaseResult.Summary"/>): runs whose recorder writes each case's JSON file as it ends.</summary>
    public bool SummariesOnly { get; init; }

    /// <summary>Extra trusted certificates for wss:// targets (<c>--ca</c>); <see cref="AllowInvalidCertificates"/> wins.</summary>
    public TlsClientPolicy? TrustedCa { get; init; }

    /// <summary>How wss:// targets' certificates are checked.</summary>
    public TlsClientPolicy Tls => AllowInvalidCertificates ? TlsClientPolicy.AcceptAny : TrustedCa ?? TlsClientPolicy.System;
}

/// <summary>
/// Testing servers: for every plan item the tester connects and opens the WebSocket as a client
/// (<see cref="ClientOpening"/>), the <see cref="CaseRunner"/> plays and judges the case, and each result is
/// handed on as it finishes; the <see cref="Scheduler"/> runs the items N at a time.
/// </summary>
internal static class ServerTesting
{
    /// <summary>A whole run from the command line: preflight, then the recorder's folder, the cases, the summary and the gate.</summary>
    public static async Task<int> ExecuteAsync(ServerTestOptions options, string outDir, RunFacts facts, ReportSettings report, ILoggerFactory logging, CancellationToken cancel)
    {
        var logger = logging.CreateLogger("wsconf");
        foreach (var target in options.Plan.Targets)
        {
            await PreflightAsync(target.Url, options.Tls, options.Timers.Scaled(options.Timers.OpenHandshake), cancel).ConfigureAwait(false);
        }

        var recorder = RunRecorder.Open(options.Plan, facts, outDir, report, logger);
        recorder.Begin(); // every target answered the preflight
        var results = await RunAsync(options with { SummariesOnly = true }, recorder.Record, options.Verbose ? line => logger.LogDebug("{Line}", line) : line => logger.LogWarning("{Line}", line), cancel).ConfigureAwait(false);
        return recorder.Finish(results);
    }

    /// <summary>The options a server-testing run records, in report order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Facts(ServerTestOptions options, bool embeddedTarget) =>
    [
        new("parallel", options.Parallel.ToString(CultureInfo.InvariantCulture)),
        new("timeout-scale", options.Timers.Scale.ToString(CultureInfo.InvariantCulture)),
        new("insecure", options.AllowInvalidCertificates ? "true" : "false"),
        .. options.TrustedCa?.CaFile is { } ca ? [new KeyValuePair<string, string>("ca", ca)] : Array.Empty<KeyValuePair<string, string>>(),
        new("target", embeddedTarget ? "embedded" : "given"),
    ];

    /// <summary>Plays the plan; every result is handed to <paramref name="finished"/> as its case ends. Returns the results (or their summaries) in plan order.</summary>
    public static async Task<IReadOnlyList<CaseResult>> RunAsync(ServerTestOptions options, Action<CaseResult> finished, Action<string>? log, CancellationToken cancel)
    {
        var opening = new ClientOpening(options.Timers, options.Tls);
        var scripted = new Handshake.ScriptedRequest(options.Timers, options.Tls);
        var runner = new CaseRunner(options.Timers);
        return await Scheduler.RunAsync(options.Plan.Items(), options.Parallel,
            (item, token) => PlayAsync(item, opening, scripted, runner, options.Verbose, log, token),
            finished,
            (agent, why) => log?.Invoke(why),
            cancel,
            options.SummariesOnly).ConfigureAwait(false);
    }

    private static async Task<PlayedCase> PlayAsync(PlanItem item, ClientOpening opening, Handshake.ScriptedRequest scripted, CaseRunner runner, bool verbose, Action<string>? echo, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var log = new WireRecorder(clock, verbose, echo is null ? null : line => echo($"[{item.Agent} {item.Case.Id}] {line}"));
        var outcome = Handshake.ScriptedRequest.Applies(item.Case) // category 15: the case's own request
            ? await scripted.OpenAsync(item.Target, item.Case, log, clock, started, cancel).ConfigureAwait(false)
            : await opening.OpenAsync(item.Target, item.Case, log, clock, started, cancel).ConfigureAwait(false);
        var seen = outcome.Opened is { } opened ? await runner.PlayAsync(opened, log, clock, cancel).ConfigureAwait(false) : outcome.Failed!;
        return new PlayedCase(CaseRunner.Result(item.Agent, item.Case, item.Index, seen), outcome.Opening);
    }

    /// <summary>As <see cref="PreflightAsync(Uri, TlsClientPolicy, TimeSpan, CancellationToken)"/>, accepting any certificate.</summary>
    internal static Task PreflightAsync(Uri url, TimeSpan timeout, CancellationToken cancel) => PreflightAsync(url, TlsClientPolicy.AcceptAny, timeout, cancel);

    /// <summary>An unreachable target, or one whose TLS certificate is refused, is a usage error (exit 2), found before any case runs.</summary>
    internal static async Task PreflightAsync(Uri url, TlsClientPolicy tls, TimeSpan timeout, CancellationToken cancel)
    {
        try
        {
            await using var connection = await TcpConnection.ConnectAsync(url, timeout, tls, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            throw new UsageException(TlsClientPolicy.IsCertificateProblem(e, out string problem) ? $"cannot connect to {url}: {problem}" : $"cannot reach {url}: {ClientOpening.Describe(e)}");
        }
    }
}
