using System.ComponentModel;
using System.Globalization;
using Conformance.Harness.Cli;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Roles;

/// <summary>Who drives the client-testing run.</summary>
internal enum ClientMode
{
    /// <summary>.NET's ClientWebSocket, in-process.</summary>
    Embedded,

    /// <summary>A client command the harness starts and waits for (<c>--exec</c>).</summary>
    Exec,

    /// <summary>Whoever connects, until interrupted or told to stop.</summary>
    Serve,
}

/// <summary>How a client-testing run from the command line runs: the served role's options plus who drives it.</summary>
internal sealed record ClientRunSettings
{
    public required ClientTestOptions Testing { get; init; }

    public required ClientMode Mode { get; init; }

    public string? Exec { get; init; }

    /// <summary>The time the client (the command, or the embedded client) may take before it is stopped.</summary>
    public required TimeSpan ClientTimeout { get; init; }

    /// <summary>Cases at once for the embedded client.</summary>
    public int Parallel { get; init; } = 1;
}

/// <summary>
/// A whole client-testing run: listen (<see cref="ClientTesting"/>), let the client drive (the embedded
/// ClientWebSocket, a command, or anyone until stopped), let running cases settle, then let the
/// <see cref="RunRecorder"/> summarise and gate.
/// </summary>
internal static class ClientTestingRun
{
    /// <summary>Once the client is done, how long cases still being played may take to end before they are cut (and not recorded).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    /// <summary>The options a client-testing run records, in report order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Facts(ClientRunSettings settings) =>
    [
        new("timeout-scale", settings.Testing.Timers.Scale.ToString(CultureInfo.InvariantCulture)),
        new("client", settings.Mode switch { ClientMode.Embedded => "embedded ClientWebSocket", ClientMode.Exec => "--exec", _ => "served" }),
    ];

    public static async Task<int> ExecuteAsync(ClientRunSettings settings, RunRecorder recorder, ILogger logger, CancellationToken cancel)
    {
        var options = settings.Testing with { SummariesOnly = true }; // the recorder has each case's details in its file
        ClientTesting server;
        ResultsBoard? shown = null;
        using var render = new CoalescingRender(() => recorder.UpdateReports(shown!.Results, shown.Agents));
        try
        {
            server = ClientTesting.Start(options, recorder.Record, options.Verbose ? line => logger.LogDebug("{Line}", line) : line => logger.LogWarning("{Line}", line), board =>
            {
                shown = board;
                return render.RequestAsync();
            });
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new UsageException($"cannot listen on {options.Address}:{options.Port}: {e.Message}");
        }

        recorder.Begin(); // listening
        string target;
        (string? Problem, IReadOnlyList<string> Tail) end = (null, []);
        int cases = options.Plan.Cases.Count;
        if (options.Tls is { } served)
        {
            Console.Out.WriteLine($"TLS: serving wss:// with {served.Certificate.Subject}; clients trust it through {served.TrustFile} (WSCONF_CA)");
        }

        await using (server.ConfigureAwait(false))
        {
            if (server.ReachableFromOtherMachines)
            {
                logger.LogWarning("listening on {Address}, which other machines can reach: the client-testing server has no authentication, so anyone who can connect can run cases under any agent name, read the case list and stop the run", server.ListeningOn);
            }

            switch (settings.Mode)
            {
                case ClientMode.Embedded:
                    target = $"{ClientWebSocketDriver.Agent} (in-process)";
                    Console.Out.WriteLine($"Testing the embedded {ClientWebSocketDriver.Agent} client (.NET {Environment.Version}) against the harness at {server.BaseUrl} with {cases} cases…");
                    end = (await RunEmbeddedAsync(server, settings, logger, cancel).ConfigureAwait(false), []);
                    break;
                case ClientMode.Exec:
                    target = settings.Exec!;
                    Console.Out.WriteLine($"Listening on {Where(server)} with {cases} cases; running the client: {settings.Exec}");
                    end = await RunCommandAsync(server, settings, logger, cancel).ConfigureAwait(false);
                    break;
                default:
                    target = server.BaseUrl;
                    Console.Out.WriteLine($"Listening on {Where(server)} with {cases} cases ({server.BaseUrl}/getCaseCount, /runCase?case=N&agent=A, /updateReports?agent=A, …).");
                    Console.Out.WriteLine($"Point an Autobahn client driver at it, or open {server.PageUrl} in a browser to test the browser. Ctrl+C to stop.");
                    string why = await WaitForStopAsync(server, cancel).ConfigureAwait(false);
                    Console.Out.WriteLine($"Stopping: {Conformance.Reports.Text.Clip.Visible(why, 200)}.");
                    break;
            }

            // After Ctrl+C there is no time to wait (the process is ended shortly): cut cases are not recorded.
            if (!await server.WaitForRunningCasesAsync(cancel.IsCancellationRequested ? TimeSpan.Zero : options.Timers.Scaled(Settle)).ConfigureAwait(false))
            {
                logger.LogWarning("{Count} case(s) still running after the client finished are cut short and not recorded", server.RunningCases);
            }
        }

        return recorder.Finish(server.Results, new ClientEnd(server.Agents, target, end.Problem, end.Tail));
    }

    /// <summary>Where the server listens, as it is: <c>ws://127.0.0.1:9001</c>, or <c>ws://0.0.0.0:9001 (every IPv4 interface; connect to ws://127.0.0.1:9001)</c>.</summary>
    private static string Where(ClientTesting server) =>
        server.ListeningOn == server.Url.Authority ? server.BaseUrl
        : $"{server.Url.Scheme}://{server.ListeningOn} ({(server.ListeningOn.StartsWith('[') ? "every IPv6 interface" : "every IPv4 interface")}; from this machine: {server.BaseUrl})";

    private static async Task<string?> RunEmbeddedAsync(ClientTesting server, ClientRunSettings settings, ILogger logger, CancellationToken cancel)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bound.CancelAfter(settings.ClientTimeout);
        try
        {
            await ClientWebSocketDriver.RunAsync(server.Url, ClientWebSocketDriver.Agent, settings.Parallel,
                settings.Testing.Verbose ? line => logger.LogDebug("client: {Line}", line) : null, bound.Token, settings.Testing.Tls?.Certificate).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return $"the embedded client did not finish within {settings.ClientTimeout.TotalSeconds:0.#} s";
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

    private static async Task<(string? Problem, IReadOnlyList<string> Tail)> RunCommandAsync(ClientTesting server, ClientRunSettings settings, ILogger logger, CancellationToken cancel)
    {
        var environment = new Dictionary<string, string>
        {
            ["WSCONF_URL"] = server.BaseUrl,
            ["WSCONF_PORT"] = server.Port.ToString(CultureInfo.InvariantCulture),
        };
        if (settings.Testing.Tls is { } tls)
        {
            environment["WSCONF_CA"] = tls.TrustFile; // the PEM a client trusts, e.g. NODE_EXTRA_CA_CERTS="$WSCONF_CA"
        }

        ClientCommand client;
        try
        {
            client = ClientCommand.Start(settings.Exec!, environment, settings.Testing.Verbose ? line => logger.LogDebug("client: {Line}", line) : null);
        }
        catch (Win32Exception e)
        {
            throw new UsageException($"cannot start the client command: {e.Message}");
        }

        using (client)
        {
            var timeout = Task.Delay(settings.ClientTimeout, cancel);
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
                problem = cancel.IsCancellationRequested ? "interrupted" : $"the client command did not finish within {settings.ClientTimeout.TotalSeconds:0.#} s and was stopped";
                client.Kill();
            }

            return (problem, client.Tail);
        }
    }

    private static async Task<string> WaitForStopAsync(ClientTesting server, CancellationToken cancel)
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
}
