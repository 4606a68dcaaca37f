using System.ComponentModel;
using System.Globalization;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// Plays one round of fuzz --client (see <see cref="ClientRounds"/>) with whoever drives the client: the embedded
/// ClientWebSocket driver, the <c>--exec</c> command (started again for every round, as <c>test-client --exec</c>
/// starts it once), or, with <c>--port</c> alone, whatever driver connects (its round ends with <c>/updateReports</c>).
/// Each round is bounded by the client timeout (<c>--exec-timeout</c>).
/// </summary>
/// <param name="embedded">Another in-process driver instead of ClientWebSocket (tests: deliberately broken clients).</param>
internal sealed class ClientRoundDriver(ClientRunSettings settings, ClientTesting server, string agent, Action<string>? output, Func<Uri, CancellationToken, Task>? embedded = null)
{
    private TaskCompletionSource _reported = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last output lines of the latest <c>--exec</c> command.</summary>
    public IReadOnlyList<string> Tail { get; private set; } = [];

    /// <summary>Who plays, in words.</summary>
    public string Who => settings.Mode switch
    {
        ClientMode.Embedded => $"the embedded {ClientWebSocketDriver.Agent} client (.NET {Environment.Version})",
        ClientMode.Exec => $"the client command {settings.Exec}",
        _ => "the client drivers that connect",
    };

    /// <summary>The <c>/updateReports</c> hook: a served driver's round is over.</summary>
    public Task OnUpdateReports()
    {
        Volatile.Read(ref _reported).TrySetResult();
        return Task.CompletedTask;
    }

    /// <summary>Plays a round; returns what went wrong in words, or null.</summary>
    /// <param name="done">For a served driver: the round's cases all have results (the round is over without <c>/updateReports</c>).</param>
    /// <param name="end">Ends the round early (the campaign's end, Ctrl+C): the command is stopped, the embedded driver cancelled.</param>
    public async Task<string?> PlayAsync(Func<bool> done, CancellationToken end)
    {
        Volatile.Write(ref _reported, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(end);
        bound.CancelAfter(settings.ClientTimeout);
        string timedOut = $"the client did not finish a round within {settings.ClientTimeout.TotalSeconds:0.#} s";
        switch (settings.Mode)
        {
            case ClientMode.Embedded:
                try
                {
                    if (embedded is not null)
                    {
                        await embedded(server.Url, bound.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        await ClientWebSocketDriver.RunAsync(server.Url, agent, settings.Parallel, output, bound.Token, settings.Testing.Tls?.Certificate).ConfigureAwait(false);
                    }

                    return null;
                }
                catch (OperationCanceledException)
                {
                    return end.IsCancellationRequested ? null : timedOut;
                }
                catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException or IOException)
                {
                    return $"the embedded client stopped: {e.Message}";
                }

            case ClientMode.Exec:
                return await RunCommandAsync(bound.Token, end, timedOut).ConfigureAwait(false);
            default:
                while (!bound.IsCancellationRequested && !done() && !Volatile.Read(ref _reported).Task.IsCompleted)
                {
                    await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                }

                return bound.IsCancellationRequested && !end.IsCancellationRequested ? timedOut : null;
        }
    }

    private async Task<string?> RunCommandAsync(CancellationToken bound, CancellationToken end, string timedOut)
    {
        var environment = new Dictionary<string, string>
        {
            ["WSCONF_URL"] = server.BaseUrl,
            ["WSCONF_PORT"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["WSCONF_AGENT"] = agent,
        };
        if (settings.Testing.Tls is { } tls)
        {
            environment["WSCONF_CA"] = tls.TrustFile;
        }

        ClientCommand client;
        try
        {
            client = ClientCommand.Start(settings.Exec!, environment, output);
        }
        catch (Win32Exception e)
        {
            throw new UsageException($"cannot start the client command: {e.Message}");
        }

        using (client)
        {
            await Task.WhenAny(client.Exited, Task.Delay(Timeout.Infinite, bound)).ConfigureAwait(false);
            string? problem = null;
            if (client.Exited.IsCompleted)
            {
                int code = await client.Exited.ConfigureAwait(false);
                problem = code == 0 ? null : $"the client command exited with code {code}";
            }
            else
            {
                client.Kill();
                problem = end.IsCancellationRequested ? null : timedOut + " and was stopped";
            }

            Tail = client.Tail;
            return problem;
        }
    }
}
