using System.CommandLine;
using System.Net;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;
using Conformance.Harness.Transport;

namespace Conformance.Harness.Cli;

/// <summary>
/// The options of <c>fuzz --client</c>, with the meaning they have in <c>test-client</c>: no <c>--exec</c> and no
/// <c>--port</c> tests the embedded ClientWebSocket; <c>--exec</c> runs the client driver (once per round);
/// <c>--port</c> alone serves whatever driver connects.
/// </summary>
internal sealed class FuzzClientOptions
{
    public Option<bool> Client { get; } = new("--client") { Description = "Fuzz a client through the client-testing URLs (/getCaseCount, /runCase?case=N&agent=A, /updateReports) instead of a server" };

    public Option<string?> Exec { get; } = new("--exec") { Description = "With --client: the client driver command (through /bin/sh -c), started for the campaign and again for each round of reruns, with WSCONF_URL, WSCONF_PORT and WSCONF_AGENT set" };

    public Option<int?> Port { get; } = new("--port", "-p") { Description = "With --client: the port to listen on (0: any free port; with --exec the default is 9001). Without --exec: serve the drivers that connect" };

    public Option<double> ExecTimeout { get; } = new("--exec-timeout") { Description = "With --client: seconds one round of the client may take", DefaultValueFactory = _ => TestClientCommand.DefaultExecTimeoutSeconds };

    public Option<bool> Tls { get; } = new("--tls") { Description = "With --client: serve wss:// with a self-signed certificate made now (WSCONF_CA for --exec)" };

    public Option<string?> Cert { get; } = new("--cert") { Description = "With --client: serve TLS with this PEM certificate (with --key)" };

    public Option<string?> Key { get; } = new("--key") { Description = "The PEM private key of --cert (unencrypted)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Client, Exec, Port, ExecTimeout, Tls, Cert, Key })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Usage errors for client options given without --client.</summary>
    public void CheckServerRole(ParseResult parse)
    {
        if (parse.GetValue(Exec) is not null || parse.GetValue(Port) is not null || parse.GetValue(Tls) || parse.GetValue(Cert) is not null)
        {
            throw new UsageException("--exec, --port, --tls and --cert fuzz a client: add --client (a server is fuzzed at the URL given)");
        }
    }

    public async Task<int> ExecuteAsync(ParseResult parse, CampaignOptions campaign, bool urlGiven, string? agent, string outDir, bool verbose, CancellationToken cancel)
    {
        if (urlGiven)
        {
            throw new UsageException("fuzz --client takes no URL: the harness is the server and the client connects to it");
        }

        int? port = parse.GetValue(Port);
        if (port is < 0 or > 65535)
        {
            throw new UsageException("--port must be between 0 and 65535");
        }

        double timeout = parse.GetValue(ExecTimeout);
        if (timeout is <= 0 or > 7 * 24 * 3600)
        {
            throw new UsageException("--exec-timeout must be a positive number of seconds");
        }

        string? exec = parse.GetValue(Exec);
        if (exec is not null && string.IsNullOrWhiteSpace(exec))
        {
            throw new UsageException("--exec needs a command");
        }

        var (certFile, keyFile) = (parse.GetValue(Cert), parse.GetValue(Key));
        if ((certFile is null) != (keyFile is null))
        {
            throw new UsageException(certFile is null ? "--key needs --cert (the certificate it belongs to)" : "--cert needs --key (its private key, PEM)");
        }

        var mode = exec is not null ? ClientMode.Exec : port is not null ? ClientMode.Serve : ClientMode.Embedded;
        var settings = new ClientRunSettings
        {
            Testing = new ClientTestOptions
            {
                Plan = RunPlan.ForClients([]),
                Address = IPAddress.Loopback,
                Port = port ?? (mode == ClientMode.Exec ? TestClientCommand.DefaultExecPort : 0),
                Timers = campaign.Timers,
                Verbose = verbose,
                Tls = certFile is not null ? TlsServerOptions.Load(certFile, keyFile!) : parse.GetValue(Tls) ? TlsServerOptions.Generate(outDir, []) : null,
            },
            Mode = mode,
            Exec = exec,
            ClientTimeout = TimeSpan.FromSeconds(timeout),
            Parallel = campaign.Parallel,
        };
        return await ClientFuzzRun.ExecuteAsync(campaign, settings, agent ?? ClientWebSocketDriver.Agent, outDir, CommonOptions.CommandLineOf(parse), cancel).ConfigureAwait(false);
    }
}
