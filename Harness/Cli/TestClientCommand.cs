using System.CommandLine;
using System.Net;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;

namespace Conformance.Harness.Cli;

/// <summary>
/// <c>test-client</c>: the harness is the server and clients drive it with Autobahn's URLs
/// (<c>/getCaseCount</c>, <c>/runCase?case=N&amp;agent=A</c>, <c>/updateReports</c>, …). Three ways to run
/// (<see cref="ClientMode"/>): <c>--exec "COMMAND"</c> starts the client command and waits for it (bounded);
/// <c>--port N</c> (or a spec's url) without <c>--exec</c> serves until interrupted or told to stop; neither
/// tests .NET's ClientWebSocket in-process on a free port. This file only maps options to settings.
/// </summary>
internal static class TestClientCommand
{
    public const string DefaultOutDir = "reports/clients";
    public const int DefaultExecPort = 9001;
    public const int DefaultExecTimeoutSeconds = 600;

    /// <summary>The most agents <c>--max-agents</c> allows: each agent's results stay in memory for the run and its report.</summary>
    public const int MaxAgentsLimit = 10_000;

    public static Command Create()
    {
        var port = new Option<int?>("--port", "-p") { Description = "Port to listen on (0 = any free port). Without --exec: serve until interrupted (Ctrl+C). With --exec the default is 9001" };
        var spec = new Option<string?>("--spec") { Description = "An Autobahn fuzzingserver spec file, read as it is (url, outdir, cases, exclude-cases, exclude-agent-cases)" };
        var cases = CaseOptions.Cases();
        var exclude = CaseOptions.Exclude();
        var rerunFailed = CaseOptions.RerunFailed();
        var outDir = new Option<string?>("--out", "-o") { Description = $"Results folder (default: ./{DefaultOutDir}, or the spec's outdir)" };
        var exec = new Option<string?>("--exec") { Description = "Client command to run (through /bin/sh -c; cmd /c on Windows) with WSCONF_URL and WSCONF_PORT set; the run ends when it exits" };
        var maxAgents = new Option<int>("--max-agents") { Description = $"Agents (client names) a run accepts; a /runCase from one more is refused with HTTP 429 (default {ClientTestOptions.DefaultMaxAgents})", DefaultValueFactory = _ => ClientTestOptions.DefaultMaxAgents };
        var execTimeout = new Option<double>("--exec-timeout") { Description = "Seconds the client (--exec, or the embedded ClientWebSocket) may take before it is stopped", DefaultValueFactory = _ => DefaultExecTimeoutSeconds };
        var tls = new Option<bool>("--tls") { Description = "Serve wss:// (and https:// for the browser page) with a self-signed certificate made now; its PEM is written to the results folder (wsconf-ca.pem, WSCONF_CA for --exec)" };
        var cert = new Option<string?>("--cert") { Description = "Serve TLS with this PEM certificate (with --key) instead of a generated one" };
        var key = new Option<string?>("--key") { Description = "The PEM private key of --cert (unencrypted)" };
        var casesFrom = Fuzzing.CasesFromOption.Create();
        var common = new CommonOptions();
        var report = new ReportOptions();
        var command = new Command("test-client",
            "Test a WebSocket client: the harness is the server and serves Autobahn's client-testing URLs.\n" +
            "  no --exec, no --port (and no spec): tests .NET's ClientWebSocket in-process, then exits with the gate code\n" +
            "  --exec \"COMMAND\": runs your client driver against the harness, then exits with the gate code\n" +
            "  --port N without --exec: serves until Ctrl+C (or /stopServer); open http://127.0.0.1:N/ in a browser to test it\n" +
            "--parallel applies to the embedded ClientWebSocket driver only (default there: 4 × cores).")
        {
            port, spec, cases, exclude, rerunFailed, outDir, exec, execTimeout, maxAgents, casesFrom, tls, cert, key,
        };
        common.AddTo(command);
        report.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var plan = Fuzzing.CasesFromOption.Apply(RunPlan.ForClientsFrom(parse.GetValue(spec), parse.GetValue(cases), parse.GetValue(exclude)), parse.GetValue(casesFrom));
            if (parse.GetValue(rerunFailed) is { } earlier)
            {
                plan = plan.RerunningFailuresOf(earlier);
            }

            var reportSettings = report.From(parse);
            int? portGiven = parse.GetValue(port) ?? plan.Listen?.Port;
            if (portGiven is < 0 or > 65535)
            {
                throw new UsageException("--port must be between 0 and 65535");
            }

            double timeoutSeconds = parse.GetValue(execTimeout);
            if (timeoutSeconds is <= 0 or > 7 * 24 * 3600)
            {
                throw new UsageException("--exec-timeout must be a positive number of seconds");
            }

            int agentCap = parse.GetValue(maxAgents);
            if (agentCap is < 1 or > MaxAgentsLimit)
            {
                throw new UsageException($"--max-agents must be between 1 and {MaxAgentsLimit}");
            }

            string? execCommand = parse.GetValue(exec);
            if (execCommand is not null && string.IsNullOrWhiteSpace(execCommand))
            {
                throw new UsageException("--exec needs a command");
            }

            var (certFile, keyFile) = (parse.GetValue(cert), parse.GetValue(key));
            if ((certFile is null) != (keyFile is null))
            {
                throw new UsageException(certFile is null ? "--key needs --cert (the certificate it belongs to)" : "--cert needs --key (its private key, PEM)");
            }

            bool serveTls = parse.GetValue(tls) || certFile is not null || plan.Listen?.Scheme == "wss";
            var loaded = certFile is not null ? TlsServerOptions.Load(certFile, keyFile!) : null;
            var mode = execCommand is not null ? ClientMode.Exec : portGiven is not null ? ClientMode.Serve : ClientMode.Embedded;
            bool verbose = parse.GetValue(common.Verbose);
            var settings = new ClientRunSettings
            {
                Testing = new ClientTestOptions
                {
                    Plan = plan,
                    Address = plan.ListenAddress ?? IPAddress.Loopback,
                    Port = portGiven ?? (mode == ClientMode.Exec ? DefaultExecPort : 0),
                    Timers = common.TimersFrom(parse),
                    Verbose = verbose,
                    MaxAgents = agentCap,
                },
                Mode = mode,
                Exec = execCommand,
                ClientTimeout = TimeSpan.FromSeconds(timeoutSeconds),
                Parallel = parse.GetResult(common.Parallel) is null or { Implicit: true } ? Environment.ProcessorCount * 4 : common.ParallelFrom(parse),
            };
            using var logging = CommonOptions.Logging(verbose);
            var logger = logging.CreateLogger("wsconf");
            var facts = new RunFacts(ClientTestingRun.Facts(settings), CommonOptions.CommandLineOf(parse));
            string folder = parse.GetValue(outDir) ?? plan.OutDir ?? DefaultOutDir;
            var recorder = RunRecorder.Open(plan, facts, folder, reportSettings, logger);
            if (serveTls)
            {
                settings = settings with { Testing = settings.Testing with { Tls = loaded ?? TlsServerOptions.Generate(folder, ListenNames(plan)) } };
            }

            return await ClientTestingRun.ExecuteAsync(settings, recorder, logger, cancel).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// The names the generated certificate is made for, beside the loopback ones: the spec's listen host, and the
    /// machine's name when that host is every interface (other machines then dial it by name).
    /// </summary>
    private static IEnumerable<string> ListenNames(RunPlan plan) => plan.Listen is not { } listen ? []
        : plan.ListenAddress is { } any && (any.Equals(IPAddress.Any) || any.Equals(IPAddress.IPv6Any)) ? [listen.IdnHost, Environment.MachineName]
        : [listen.IdnHost];
}
