using System.Globalization;
using System.Text.Json;
using Conformance.Cases.Scripting;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;
using Conformance.Reports.Text;

namespace Conformance.Harness.Roles;

/// <summary>
/// The answers of Autobahn's client-testing endpoints (catalogue spec §4) once their WebSocket is open:
/// <c>/getCaseCount</c>, <c>/getCaseInfo</c>, <c>/getCaseStatus</c> (waiting for the case on the results board),
/// <c>/updateReports</c>, <c>/stopServer</c>, and an excluded <c>/runCase</c>; and the plain-HTTP side: the
/// browser test page at <c>/</c>, and a clear refusal of anything else.
/// </summary>
internal sealed class ControlEndpoints(ClientTestOptions options, ResultsBoard board, Func<ResultsBoard, Task>? updateReports, Action<string>? log)
{
    public const string ServerName = "wsconf/0.1 (WebSocket conformance harness)";

    /// <summary>What <c>/getCaseStatus</c> answers when the case has no result for the agent within the wait.</summary>
    public const string NotRunYet = "NOT RUN YET";

    /// <summary>How long a question about a case nobody is playing for that agent waits for it to start and end (scaled).</summary>
    public static readonly TimeSpan StatusGrace = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource<string> _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _statusWaiters;
    private int _statusAnswers;

    /// <summary><c>/getCaseStatus</c> questions being answered right now (waiting or sending).</summary>
    public int StatusAnswers => Volatile.Read(ref _statusAnswers);

    /// <summary>Completes with the reason when a client asked the server to stop (<c>/stopServer</c>, or <c>/updateReports</c> with <c>shutdownOnComplete</c>).</summary>
    public Task<string> StopRequested => _stopRequested.Task;

    /// <param name="leaveCount">Takes the connection out of the listener's connection count (a status waiter counts against its own budget).</param>
    public async Task AnswerAsync(ControlRequest control, ControlChannel channel, Action leaveCount, CancellationToken stop)
    {
        var closeWait = options.Timers.Scaled(options.Timers.CloseHandshake);
        switch (control)
        {
            case ControlRequest.GetCaseCount:
                if (options.BeforeCaseCount is { } before)
                {
                    await before(stop).ConfigureAwait(false); // fuzz --client: a client's round begins here
                }

                await channel.SendTextAsync(options.Plan.Cases.Count.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                break;
            case ControlRequest.GetCaseInfo info:
                await channel.SendTextAsync(JsonObject(("id", info.Case.Id.Text), ("description", Describe(info.Case)))).ConfigureAwait(false);
                break;
            case ControlRequest.GetCaseStatus status:
                Interlocked.Increment(ref _statusAnswers);
                try
                {
                    if (!await AnswerStatusAsync(status, channel, leaveCount, stop).ConfigureAwait(false))
                    {
                        break; // the client left
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _statusAnswers);
                }

                break;
            case ControlRequest.UpdateReports update:
                if (updateReports is not null)
                {
                    await updateReports(board).ConfigureAwait(false);
                }

                await channel.CloseAsync(closeWait).ConfigureAwait(false);
                if (update.ShutdownOnComplete)
                {
                    _stopRequested.TrySetResult($"'{update.Agent}' asked to stop after updating the reports (shutdownOnComplete)");
                }

                return;
            case ControlRequest.StopServer:
                _stopRequested.TrySetResult("a client asked the server to stop (/stopServer)");
                break;
            case ControlRequest.RunCase run:
                // Excluded for this agent by exclude-agent-cases: closed right after the handshake, nothing recorded (spec §3.5).
                log?.Invoke($"case {run.Case.Id} is excluded for '{run.Agent}' (exclude-agent-cases): closing without playing it");
                break;
        }

        await channel.CloseAsync(closeWait).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>/getCaseStatus</c>: the result at once if it is known; else a wait bounded by the case's own watchdog while
    /// the case is being played for that agent, or by <see cref="StatusGrace"/> when it is not (both scaled), then
    /// <see cref="NotRunYet"/>. Waiting connections leave the connection count for a budget of their own
    /// (<see cref="ClientTestOptions.MaxStatusWaiters"/>): past it a question is answered at once. False when the client left first.
    /// </summary>
    private async Task<bool> AnswerStatusAsync(ControlRequest.GetCaseStatus status, ControlChannel channel, Action leaveCount, CancellationToken stop)
    {
        string caseId = status.Case.Id.Text;
        var result = board.Find(status.Agent, caseId);
        if (result is null && Interlocked.Increment(ref _statusWaiters) <= options.MaxStatusWaiters)
        {
            try
            {
                leaveCount();
                var bound = board.IsRunning(status.Agent, caseId) ? Running.Watchdog.For(status.Case) + options.Timers.CloseHandshake : StatusGrace;
                result = await board.WaitForAsync(status.Agent, caseId, options.Timers.Scaled(bound), channel.PeerDone, stop).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _statusWaiters);
            }
        }
        else if (result is null)
        {
            Interlocked.Decrement(ref _statusWaiters);
        }

        if (channel.PeerDone.IsCompleted)
        {
            return false;
        }

        await channel.SendTextAsync(JsonObject(("behavior", result?.Behavior.Label() ?? NotRunYet))).ConfigureAwait(false);
        return true;
    }

    /// <summary>The response to a plain HTTP request: the browser test page, or why there is nothing else here.</summary>
    public byte[] PlainHttp(ClientRequest request, string peer)
    {
        byte[] response;
        if (request.Method is not ("GET" or "HEAD"))
        {
            response = ServerHandshake.Reject(new HttpError(405, $"{request.Method} is not served here") { Fields = [new("Allow", "GET, HEAD")] }, ServerName);
        }
        else if (request.Path is "/" or "/index.html")
        {
            response = ServerHandshake.Response(200, "OK", "text/html; charset=utf-8", Targets.BrowserDriverPage.Octets, ServerName);
        }
        else
        {
            var error = ControlRequest.Paths.Contains(request.Path, StringComparer.Ordinal)
                ? new HttpError(426, $"{request.Path} is a WebSocket endpoint: connect with a WebSocket client") { Fields = [new("Upgrade", "websocket"), new("Connection", "Upgrade")] }
                : new HttpError(404, $"nothing at '{Clip.After(request.Path, 100)}': open / for the browser test page, or connect a WebSocket client to {string.Join(", ", ControlRequest.Paths)}");
            if (request.Path != "/favicon.ico")
            {
                log?.Invoke($"{peer}: plain HTTP {request.Method} '{Clip.After(request.Target, 100)}' answered {error.Status}");
            }

            response = ServerHandshake.Reject(error, ServerName);
        }

        if (request.Method == "HEAD")
        {
            int end = response.AsSpan().IndexOf("\r\n\r\n"u8);
            response = response[..(end + 4)];
        }

        return response;
    }

    /// <summary>What <c>/getCaseInfo</c> reports: the description up to its first HTML tag, whitespace collapsed (spec §4).</summary>
    internal static string Describe(Case @case)
    {
        string text = @case.Description;
        int tag = text.IndexOf('<', StringComparison.Ordinal);
        if (tag >= 0)
        {
            text = text[..tag];
        }

        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A JSON object with string values in Python's json.dumps layout (<c>{"a": "b", "c": "d"}</c>), as Autobahn sends.</summary>
    internal static string JsonObject(params (string Name, string Value)[] fields) =>
        "{" + string.Join(", ", fields.Select(f => $"{JsonSerializer.Serialize(f.Name, JsonText)}: {JsonSerializer.Serialize(f.Value, JsonText)}")) + "}";

    /// <summary>Escapes only what JSON requires (quotes, backslashes, control characters): the text goes to a WebSocket, not into HTML.</summary>
    private static readonly JsonSerializerOptions JsonText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
