using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Conformance.Cases;
using Conformance.Cases.Catalogue;
using Conformance.Cases.Scripting;
using Conformance.Harness.Roles;
using Conformance.Harness.Targets;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Cli;

/// <summary>
/// <c>test-client</c>: the harness is the server and clients drive it with Autobahn's URLs
/// (<c>/getCaseCount</c>, <c>/runCase?case=N&amp;agent=A</c>, <c>/updateReports</c>, …). Three ways to run:
/// <list type="bullet">
/// <item><c>--exec "COMMAND"</c>: start the client command, wait for it (bounded), write, summarise, gate;</item>
/// <item><c>--port N</c> (or a spec's url) without <c>--exec</c>: serve until interrupted or told to stop;</item>
/// <item>neither: test .NET's ClientWebSocket in-process on a free port, then gate.</item>
/// </list>
/// </summary>
internal static class TestClientCommand
{
    public const string DefaultOutDir = "reports/clients";
    public const int DefaultExecPort = 9001;
    public const int DefaultExecTimeoutSeconds = 600;

    /// <summary>Once the client is done, how long cases still being played may take to end before they are cut (and not recorded).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var port = new Option<int?>("--port", "-p") { Description = "Port to listen on (0 = any free port). Without --exec: serve until interrupted (Ctrl+C). With --exec the default is 9001" };
        var spec = new Option<string?>("--spec") { Description = "An Autobahn fuzzingserver spec file, read as it is (url, outdir, cases, exclude-cases, exclude-agent-cases)" };
        var cases = CaseOptions.Cases();
        var exclude = CaseOptions.Exclude();
        var outDir = new Option<string?>("--out", "-o") { Description = $"Results folder (default: ./{DefaultOutDir}, or the spec's outdir)" };
        var exec = new Option<string?>("--exec") { Description = "Client command to run (through /bin/sh -c; cmd /c on Windows) with WSCONF_URL and WSCONF_PORT set; the run ends when it exits" };
        var execTimeout = new Option<double>("--exec-timeout") { Description = "Seconds the client (--exec, or the embedded ClientWebSocket) may take before it is stopped", DefaultValueFactory = _ => DefaultExecTimeoutSeconds };
        var common = new CommonOptions();
        var report = new ReportOptions();
        var command = new Command("test-client",
            "Test a WebSocket client: the harness is the server and serves Autobahn's client-testing URLs.\n" +
            "  no --exec, no --port (and no spec): tests .NET's ClientWebSocket in-process, then exits with the gate code\n" +
            "  --exec \"COMMAND\": runs your client driver against the harness, then exits with the gate code\n" +
            "  --port N without --exec: serves until Ctrl+C (or /stopServer); open http://127.0.0.1:N/ in a browser to test it\n" +
            "--parallel applies to the embedded ClientWebSocket driver only (default there: 4 × cores).")
        {
            port, spec, cases, exclude, outDir, exec, execTimeout,
        };
        common.AddTo(command);
        report.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var plan = PlanFrom(parse.GetValue(spec), parse.GetValue(cases), parse.GetValue(exclude));
            var reportSettings = report.From(parse);
            int? portGiven = parse.GetValue(port) ?? plan.Url?.Port;
            if (portGiven is < 0 or > 65535)
            {
                throw new UsageException("--port must be between 0 and 65535");
            }

            double timeoutSeconds = parse.GetValue(execTimeout);
            if (timeoutSeconds is <= 0 or > 7 * 24 * 3600)
            {
                throw new UsageException("--exec-timeout must be a positive number of seconds");
            }

            string? execCommand = parse.GetValue(exec);
            if (execCommand is not null && string.IsNullOrWhiteSpace(execCommand))
            {
                throw new UsageException("--exec needs a command");
            }

            var mode = execCommand is not null ? Mode.Exec : portGiven is not null ? Mode.Serve : Mode.Embedded;
            bool verbose = parse.GetValue(common.Verbose);
            var run = new ClientRun
            {
                Mode = mode,
                Cases = plan.Cases,
                ExcludeAgentCases = plan.ExcludeAgentCases,
                Address = plan.Address ?? IPAddress.Loopback,
                Port = portGiven ?? (mode == Mode.Exec ? DefaultExecPort : 0),
                Exec = execCommand,
                ClientTimeout = TimeSpan.FromSeconds(timeoutSeconds),
                Parallel = parse.GetResult(common.Parallel) is null or { Implicit: true } ? Environment.ProcessorCount * 4 : common.ParallelFrom(parse),
                Timers = common.TimersFrom(parse),
                Verbose = verbose,
                OutDir = parse.GetValue(outDir) ?? plan.OutDir ?? DefaultOutDir,
                Report = reportSettings,
                CommandLine = CommonOptions.CommandLineOf(parse),
            };
            using var logging = CommonOptions.Logging(verbose);
            return await run.ExecuteAsync(logging.CreateLogger("wsconf"), cancel).ConfigureAwait(false);
        });
        return command;
    }

    internal enum Mode
    {
        Embedded,
        Exec,
        Serve,
    }

    private sealed record Plan(IReadOnlyList<Case> Cases, IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludeAgentCases, string? OutDir, Uri? Url, IPAddress? Address);

    private static Plan PlanFrom(string? specPath, string? cases, string? exclude)
    {
        if (specPath is null)
        {
            var selected = CaseOptions.Select(CaseSelection.SplitPatterns(cases), CaseSelection.SplitPatterns(exclude), PeerRoles.Client);
            return new Plan(selected, new Dictionary<string, IReadOnlyList<string>>(), null, null, null);
        }

        string text = SpecFile.Read(specPath);

        var spec = FuzzingServerSpec.Parse(text, out string? error) ?? throw new UsageException($"spec file '{specPath}' is malformed: {error}");
        var chosen = CaseOptions.Select(spec.Cases, spec.ExcludeCases, PeerRoles.Client);
        return new Plan(chosen, spec.ExcludeAgentCases, spec.OutDir, spec.Url, AddressOf(spec.Url));
    }

    /// <summary>The address to listen on for a spec's url: an IP literal, <c>localhost</c>, or a name of this machine.</summary>
    private static IPAddress AddressOf(Uri url)
    {
        string host = url.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        try
        {
            return Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new UsageException($"the spec's url host '{host}' has no IPv4 address");
        }
        catch (SocketException e)
        {
            throw new UsageException($"cannot resolve the spec's url host '{host}': {e.Message}");
        }
    }

    /// <summary>One client-testing run: listen, let the client drive, then write, summarise and gate.</summary>
    private sealed record ClientRun
    {
        public required Mode Mode { get; init; }

        public required IReadOnlyList<Case> Cases { get; init; }

        public required IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludeAgentCases { get; init; }

        public required IPAddress Address { get; init; }

        public required int Port { get; init; }

        public string? Exec { get; init; }

        public required TimeSpan ClientTimeout { get; init; }

        public required int Parallel { get; init; }

        public required Running.Timers Timers { get; init; }

        public required bool Verbose { get; init; }

        public required string OutDir { get; init; }

        public required string CommandLine { get; init; }

        public required ReportSettings Report { get; init; }

        private FuzzingServer? _server;

        public async Task<int> ExecuteAsync(ILogger logger, CancellationToken cancel)
        {
            var started = DateTimeOffset.UtcNow;
            var selection = ReportOptions.Entries(Cases);
            ResultsFolder folder;
            try
            {
                folder = new ResultsFolder(OutDir);
                RunInfoFile.Write(folder.OutDir, Info(started, [], "(not known yet)"), selection); // lets './run.sh report DIR' render a run that was killed
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot write to '{OutDir}': {e.Message}");
            }

            var clock = Stopwatch.StartNew();
            var progress = new ProgressDisplay(Cases.Count);
            var options = new ClientTestOptions
            {
                Cases = Cases,
                ExcludeAgentCases = ExcludeAgentCases,
                Address = Address,
                Port = Port,
                Timers = Timers,
                Verbose = Verbose,
            };

            FuzzingServer server;
            try
            {
                server = _server = FuzzingServer.Start(options, result =>
                {
                    folder.Add(result);
                    progress.Finished(result);
                    logger.LogInformation("{Agent} {Case}: {Behavior} / {Close} ({Duration} ms)", result.Agent, result.CaseId, result.Behavior.Label(), result.CloseBehavior.Label(), result.DurationMs);
                }, Verbose ? line => logger.LogDebug("{Line}", line) : line => logger.LogWarning("{Line}", line), () =>
                {
                    UpdateReports(folder, started, selection, logger);
                    return Task.CompletedTask;
                });
            }
            catch (SocketException e)
            {
                throw new UsageException($"cannot listen on {Address}:{Port}: {e.Message}");
            }

            string target;
            string? clientProblem = null;
            IReadOnlyList<string> clientTail = [];
            await using (server.ConfigureAwait(false))
            {
                switch (Mode)
                {
                    case Mode.Embedded:
                        target = $"{ClientWebSocketDriver.Agent} (in-process)";
                        Console.Out.WriteLine($"Testing the embedded {ClientWebSocketDriver.Agent} client (.NET {Environment.Version}) against the harness at {server.BaseUrl} with {Cases.Count} cases…");
                        clientProblem = await RunEmbeddedAsync(server, logger, cancel).ConfigureAwait(false);
                        break;
                    case Mode.Exec:
                        target = Exec!;
                        Console.Out.WriteLine($"Listening on {server.BaseUrl} with {Cases.Count} cases; running the client: {Exec}");
                        (clientProblem, clientTail) = await RunCommandAsync(server, logger, cancel).ConfigureAwait(false);
                        break;
                    default:
                        target = server.BaseUrl;
                        Console.Out.WriteLine($"Listening on {server.BaseUrl} with {Cases.Count} cases ({server.BaseUrl}/getCaseCount, /runCase?case=N&agent=A, /updateReports?agent=A, …).");
                        Console.Out.WriteLine($"Point an Autobahn client driver at it, or open http://{server.Url.Authority}/ in a browser to test the browser. Ctrl+C to stop.");
                        string why = await WaitForStopAsync(server, cancel).ConfigureAwait(false);
                        Console.Out.WriteLine($"Stopping: {why}.");
                        break;
                }

                // After Ctrl+C there is no time to wait (the process is ended shortly): cut cases are not recorded.
                if (!await server.WaitForRunningCasesAsync(cancel.IsCancellationRequested ? TimeSpan.Zero : Timers.Scaled(Settle)).ConfigureAwait(false))
                {
                    logger.LogWarning("{Count} case(s) still running after the client finished are cut short and not recorded", server.RunningCases);
                }
            }

            progress.Done();
            EnsureIndex(folder);
            return Summarise(server, target, clientProblem, clientTail, started, clock, folder, selection);
        }

        private RunInfo Info(DateTimeOffset started, IReadOnlyList<string> agents, string target) => new()
        {
            HarnessVersion = HarnessInfo.Version,
            CatalogueVersion = Catalogue.Version,
            Mode = "client",
            Started = started,
            Targets = agents.ToDictionary(a => a, _ => target),
            Options = new Dictionary<string, string>
            {
                ["cases"] = Cases.Count.ToString(CultureInfo.InvariantCulture),
                ["timeout-scale"] = Timers.Scale.ToString(CultureInfo.InvariantCulture),
                ["client"] = Mode switch { Mode.Embedded => "embedded ClientWebSocket", Mode.Exec => "--exec", _ => "served" },
                ["gate"] = Report.Gate.Describe(),
            },
            CommandLine = CommandLine,
            ExcludedForAgent = agents.ToDictionary(
                a => a,
                a => (IReadOnlyList<string>)Cases.Where(c => CaseSelection.IsExcludedForAgent(a, c.Id, ExcludeAgentCases)).Select(c => c.Id.Text).ToArray()),
        };

        /// <summary>
        /// <c>/updateReports</c>: the JSON files are current already (each case is written as it ends); the index and
        /// the HTML report are rendered again from everything so far, for every agent (as Autobahn does).
        /// </summary>
        private void UpdateReports(ResultsFolder folder, DateTimeOffset started, IReadOnlyList<CatalogueEntry> selection, ILogger logger)
        {
            EnsureIndex(folder);
            var results = _server?.Results ?? [];
            var run = new RunResult(Info(started, _server?.Agents ?? [], "(client)"), results) { Selection = selection };
            try
            {
                new HtmlReportWriter(ScribanTemplateEngine.Create(Report.Templates)).Write(run, Report.Gate.Evaluate(run), folder.OutDir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or TemplateException)
            {
                logger.LogWarning("updating the HTML report failed: {Message}", e.Message);
            }
        }

        private async Task<string?> RunEmbeddedAsync(FuzzingServer server, ILogger logger, CancellationToken cancel)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            bound.CancelAfter(ClientTimeout);
            try
            {
                await ClientWebSocketDriver.RunAsync(server.Url, ClientWebSocketDriver.Agent, Parallel,
                    Verbose ? line => logger.LogDebug("client: {Line}", line) : null, bound.Token).ConfigureAwait(false);
                return null;
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return $"the embedded client did not finish within {ClientTimeout.TotalSeconds:0.#} s";
            }
            catch (OperationCanceledException)
            {
                return "interrupted";
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException or IOException)
            {
                return $"the embedded client stopped: {e.Message}";
            }
        }

        private async Task<(string? Problem, IReadOnlyList<string> Tail)> RunCommandAsync(FuzzingServer server, ILogger logger, CancellationToken cancel)
        {
            var environment = new Dictionary<string, string>
            {
                ["WSCONF_URL"] = server.BaseUrl,
                ["WSCONF_PORT"] = server.Port.ToString(CultureInfo.InvariantCulture),
            };
            ClientCommand client;
            try
            {
                client = ClientCommand.Start(Exec!, environment, Verbose ? line => logger.LogDebug("client: {Line}", line) : null);
            }
            catch (Win32Exception e)
            {
                throw new UsageException($"cannot start the client command: {e.Message}");
            }

            using (client)
            {
                var timeout = Task.Delay(ClientTimeout, cancel);
                var first = await Task.WhenAny(client.Exited, server.StopRequested, timeout).ConfigureAwait(false);
                string? problem = null;
                if (first == client.Exited)
                {
                    int code = await client.Exited.ConfigureAwait(false);
                    if (code != 0)
                    {
                        problem = $"the client command exited with code {code}";
                    }
                }
                else if (first == server.StopRequested)
                {
                    logger.LogInformation("{Why}: ending the client command", await server.StopRequested.ConfigureAwait(false));
                    client.Kill();
                }
                else
                {
                    problem = cancel.IsCancellationRequested ? "interrupted" : $"the client command did not finish within {ClientTimeout.TotalSeconds:0.#} s and was stopped";
                    client.Kill();
                }

                return (problem, client.Tail);
            }
        }

        private static async Task<string> WaitForStopAsync(FuzzingServer server, CancellationToken cancel)
        {
            try
            {
                return await server.StopRequested.WaitAsync(cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return "interrupted";
            }
        }

        private int Summarise(FuzzingServer server, string target, string? clientProblem, IReadOnlyList<string> clientTail, DateTimeOffset started, Stopwatch clock, ResultsFolder folder, IReadOnlyList<CatalogueEntry> selection)
        {
            var results = server.Results;
            var agents = server.Agents;
            var run = new RunResult(Info(started, agents, target) with { Finished = DateTimeOffset.UtcNow }, results) { Selection = selection };
            RunInfoFile.Write(folder.OutDir, run.Info, selection);
            if (results.Count > 0)
            {
                new ConsoleSummaryWriter().Write(run, Console.Out);
            }

            int missing = 0;
            if (agents.Count == 0)
            {
                missing = Cases.Count;
                Console.Out.WriteLine($"No client ran a case: {Cases.Count} case(s) not run.");
            }

            foreach (string agent in agents)
            {
                var done = results.Where(r => r.Agent == agent).Select(r => r.CaseId).ToHashSet(StringComparer.Ordinal);
                var notRun = Cases.Where(c => !done.Contains(c.Id.Text)).ToArray();
                if (notRun.Length > 0)
                {
                    missing += notRun.Length;
                    int excluded = notRun.Length - server.CasesFor(agent).Count(c => !done.Contains(c.Id.Text));
                    string first = string.Join(", ", notRun.Take(8).Select(c => c.Id.Text)) + (notRun.Length > 8 ? ", …" : "");
                    Console.Out.WriteLine($"{OneLine(agent, 60)}: {notRun.Length} case(s) not run ({first})" +
                                          (excluded > 0 ? $"; {excluded} of them excluded for this agent by exclude-agent-cases." : "."));
                }
            }

            if (clientProblem is not null)
            {
                Console.Out.WriteLine($"Client: {clientProblem}.");
            }

            if (clientTail.Count > 0 && (clientProblem is not null || missing > 0))
            {
                Console.Out.WriteLine($"Last lines of the client's output:\n  " + string.Join("\n  ", clientTail.Select(l => OneLine(l, 160))));
            }

            Console.Out.WriteLine($"Ran {results.Count} case(s) in {clock.Elapsed.TotalSeconds:F1} s. Results: {Path.GetFullPath(folder.IndexPath)}");

            // The same gate, HTML, JUnit and Markdown outputs as server testing. With no client at all there is no agent
            // the gate could count the cases as missing for, so that run fails here.
            int code = ReportOutputs.Finish(run, folder.OutDir, null, Report, Console.Out);
            return agents.Count == 0 && code == ExitCodes.Passed ? ExitCodes.Failed : code;
        }

        private static string OneLine(string text, int max)
        {
            var printable = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
            return printable.Length <= max ? printable : printable[..(max - 1)] + "…";
        }

        /// <summary>index.json exists after a run even when no case ran (Autobahn's index is then an empty object).</summary>
        private static void EnsureIndex(ResultsFolder folder)
        {
            if (!File.Exists(folder.IndexPath))
            {
                File.WriteAllBytes(folder.IndexPath, new AutobahnIndexWriter().Render([]));
            }
        }
    }
}
