using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;

namespace Conformance.Harness.Roles;

/// <summary>What a client-testing run needs: where to listen, the cases, and how to run them.</summary>
internal sealed record ClientTestOptions
{
    /// <summary>The selected cases, in numeric order: case number N of the URL protocol is <c>Cases[N - 1]</c>.</summary>
    public required IReadOnlyList<Case> Cases { get; init; }

    /// <summary>Agent pattern → case patterns not run for matching agents (Autobahn's exclude-agent-cases).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludeAgentCases { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    public Timers Timers { get; init; } = new();

    public bool Verbose { get; init; }

    /// <summary>Connections served at once; more are answered 503 and closed.</summary>
    public int MaxConnections { get; init; } = 64;
}

/// <summary>
/// Testing clients (Autobahn's fuzzingserver, catalogue spec §3.3, §4): the harness listens, and clients
/// drive it through the URLs they connect to. <c>/runCase</c> plays one case with the tester as the
/// server (frames unmasked, the server closes TCP after the closing handshake), judged with the same rules
/// and recorded in the same result model as server testing. Every connection is bounded in time: a client
/// that sends nothing, garbage or half a request is answered (or dropped) within the opening-handshake
/// timeout; a case ends by its timers or its watchdog. A plain HTTP GET of <c>/</c> returns the browser
/// test page.
/// </summary>
internal sealed class FuzzingServer : IAsyncDisposable
{
    public const string ServerName = "wsconf/0.1 (WebSocket conformance harness)";

    private readonly ClientTestOptions _options;
    private readonly Action<CaseResult>? _finished;
    private readonly Action<string>? _log;
    private readonly Func<Task>? _updateReports;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Task, bool> _handlers = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Agent, string CaseId), CaseResult> _results = [];
    private readonly Dictionary<(string Agent, string CaseId), TaskCompletionSource<CaseResult>> _waiters = [];
    private readonly List<string> _agents = [];
    private readonly Task _accepting;
    private int _connections;
    private int _runningCases;

    private FuzzingServer(ClientTestOptions options, Socket listener, Action<CaseResult>? finished, Action<string>? log, Func<Task>? updateReports)
    {
        _options = options;
        _listener = listener;
        _finished = finished;
        _log = log;
        _updateReports = updateReports;
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        Port = endpoint.Port;
        string host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.Equals(IPAddress.IPv6Any) ? "[::1]"
            : endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        Url = new Uri($"ws://{host}:{Port}");
        _accepting = AcceptLoopAsync();
    }

    /// <summary>Starts listening. Throws <see cref="SocketException"/> when the address cannot be bound (e.g. the port is taken).</summary>
    /// <param name="options">Where to listen and what to play.</param>
    /// <param name="finished">Called with every case result as soon as the case has ended (from any thread).</param>
    /// <param name="log">Notable events: refused requests, silent clients, interrupted cases.</param>
    /// <param name="updateReports">Called for <c>/updateReports</c> before the server answers it.</param>
    public static FuzzingServer Start(ClientTestOptions options, Action<CaseResult>? finished = null, Action<string>? log = null, Func<Task>? updateReports = null)
    {
        var listener = new Socket(options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(options.Address, options.Port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new FuzzingServer(options, listener, finished, log, updateReports);
    }

    /// <summary>The base URL clients connect to, e.g. <c>ws://127.0.0.1:9001/</c>.</summary>
    public Uri Url { get; }

    /// <summary>The base URL without a trailing slash, to put a path after: <c>ws://127.0.0.1:9001</c>.</summary>
    public string BaseUrl => $"ws://{Url.Authority}";

    public int Port { get; }

    public IReadOnlyList<Case> Cases => _options.Cases;

    /// <summary>Completes with the reason when a client asked the server to stop (<c>/stopServer</c>, or <c>/updateReports</c> with <c>shutdownOnComplete</c>).</summary>
    public Task<string> StopRequested => _stopRequested.Task;

    /// <summary>Cases being played right now.</summary>
    public int RunningCases => Volatile.Read(ref _runningCases);

    /// <summary>The latest result of every agent and case (a case run again replaces the earlier result), by agent then case number.</summary>
    public IReadOnlyList<CaseResult> Results
    {
        get
        {
            lock (_gate)
            {
                return _results.Values.OrderBy(r => r.Agent, StringComparer.Ordinal).ThenBy(r => r.CaseIndex).ToArray();
            }
        }
    }

    /// <summary>The agents that asked for at least one case, in order of their first request.</summary>
    public IReadOnlyList<string> Agents
    {
        get
        {
            lock (_gate)
            {
                return _agents.ToArray();
            }
        }
    }

    /// <summary>The cases an agent is expected to run: the selection minus its exclude-agent-cases.</summary>
    public IReadOnlyList<Case> CasesFor(string agent) =>
        _options.Cases.Where(c => !CaseSelection.IsExcludedForAgent(agent, c.Id, _options.ExcludeAgentCases)).ToArray();

    /// <summary>Waits until no case is being played, at most <paramref name="bound"/>; true when none is.</summary>
    public async Task<bool> WaitForRunningCasesAsync(TimeSpan bound)
    {
        var deadline = Stopwatch.StartNew();
        while (RunningCases > 0 && deadline.Elapsed < bound)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        return RunningCases == 0;
    }

    /// <summary>Stops listening and ends every connection; a case cut short by this is not recorded.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await Quietly(_accepting).ConfigureAwait(false);
        await Task.WhenAll(_handlers.Keys.Select(Quietly)).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var waiter in _waiters.Values)
            {
                waiter.TrySetCanceled();
            }
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _log?.Invoke($"accepting a connection failed: {e.Message}");
                await Task.Delay(50).ConfigureAwait(false); // e.g. out of file descriptors: do not spin
                continue;
            }

            var handler = Task.Run(() => ServeAsync(socket));
            _handlers.TryAdd(handler, true);
            _ = handler.ContinueWith(t => _handlers.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        string peer = socket.RemoteEndPoint?.ToString() ?? "?";
        var connection = TcpConnection.FromAccepted(socket);
        bool handedOver = false;
        try
        {
            if (Interlocked.Increment(ref _connections) > _options.MaxConnections)
            {
                await RespondAsync(socket, connection, ServerHandshake.Reject(new HttpError(503, $"more than {_options.MaxConnections} connections at once"), ServerName)).ConfigureAwait(false);
                return;
            }

            var openTimeout = _options.Timers.Scaled(_options.Timers.OpenHandshake);
            var head = await ReadHeadAsync(connection, openTimeout).ConfigureAwait(false);
            if (head.Problem is { } problem)
            {
                if (head.Received > 0 || head.TimedOut)
                {
                    _log?.Invoke($"{peer}: {problem}");
                }

                if (head.Status is { } status)
                {
                    await RespondAsync(socket, connection, ServerHandshake.Reject(new HttpError(status, problem), ServerName)).ConfigureAwait(false);
                }

                return;
            }

            started = DateTimeOffset.UtcNow; // a case starts when its upgrade request has been read (Autobahn's 'started' in the server role)
            var request = ServerHandshake.Parse(head.Text, out var httpError);
            if (request is null)
            {
                _log?.Invoke($"{peer}: refused ({httpError!.Status}): {httpError.Message}");
                await RespondAsync(socket, connection, ServerHandshake.Reject(httpError!, ServerName)).ConfigureAwait(false);
                return;
            }

            if (!request.AsksForWebSocket)
            {
                await ServeHttpAsync(socket, connection, request, peer).ConfigureAwait(false);
                return;
            }

            var control = ControlRequest.Parse(request.Path, request.Query, _options.Cases, out httpError);
            var handshakeError = ServerHandshake.Check(request);
            if (control is null || handshakeError is not null)
            {
                var error = httpError ?? handshakeError!;
                _log?.Invoke($"{peer}: refused '{Clip(request.Target)}' ({error.Status}): {error.Message}");
                if (control is ControlRequest.RunCase failedCase && handshakeError is not null && !IsExcluded(failedCase))
                {
                    Record(failedCase, FailedHandshake(started, clock, head.Text, $"the client's opening handshake is invalid: {handshakeError.Message}"));
                }

                await RespondAsync(socket, connection, ServerHandshake.Reject(error, ServerName)).ConfigureAwait(false);
                return;
            }

            // Compression cases: answer the client's permessage-deflate offers by the case's accept rule (RFC 7692 §5).
            var deflate = control is ControlRequest.RunCase { Case.Deflate: { } setup } ? DeflateNegotiation.Answer(setup, request.Head.Get("Sec-WebSocket-Extensions")) : null;
            string response = ServerHandshake.Accept(request, ServerName, deflate?.Response);
            if (control is ControlRequest.RunCase run && !IsExcluded(run))
            {
                handedOver = true;
                await RunCaseAsync(run, connection, head, response, started, clock, peer, deflate).ConfigureAwait(false);
                return;
            }

            await connection.Stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token).ConfigureAwait(false);
            await using var channel = new ControlChannel(connection, head.Leftover, _stop.Token);
            await AnswerAsync(control, channel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
            if (!handedOver)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task AnswerAsync(ControlRequest control, ControlChannel channel)
    {
        var closeWait = _options.Timers.Scaled(_options.Timers.CloseHandshake);
        switch (control)
        {
            case ControlRequest.GetCaseCount:
                await channel.SendTextAsync(_options.Cases.Count.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                break;
            case ControlRequest.GetCaseInfo info:
                await channel.SendTextAsync(JsonObject(("id", info.Case.Id.Text), ("description", Describe(info.Case)))).ConfigureAwait(false);
                break;
            case ControlRequest.GetCaseStatus status:
                var result = await WaitForResultAsync(status.Agent, status.Case.Id.Text, channel.PeerDone).ConfigureAwait(false);
                if (result is null)
                {
                    break; // the client left, or the server is stopping
                }

                await channel.SendTextAsync(JsonObject(("behavior", result.Behavior.Label()))).ConfigureAwait(false);
                break;
            case ControlRequest.UpdateReports update:
                if (_updateReports is not null)
                {
                    await _updateReports().ConfigureAwait(false);
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
                NoteAgent(run.Agent);
                _log?.Invoke($"case {run.Case.Id} is excluded for '{run.Agent}' (exclude-agent-cases): closing without playing it");
                break;
        }

        await channel.CloseAsync(closeWait).ConfigureAwait(false);
    }

    private bool IsExcluded(ControlRequest.RunCase run) => CaseSelection.IsExcludedForAgent(run.Agent, run.Case.Id, _options.ExcludeAgentCases);

    private async Task RunCaseAsync(ControlRequest.RunCase run, TcpConnection connection, RequestHead head, string response, DateTimeOffset started, Stopwatch clock, string peer, DeflateAnswer? deflate = null)
    {
        NoteAgent(run.Agent);
        Interlocked.Increment(ref _runningCases);
        try
        {
            var echo = _options.Verbose && _log is not null ? line => _log($"[{run.Agent} {run.Case.Id}] {line}") : (Action<string>?)null;
            var log = new WireRecorder(clock, _options.Verbose, echo);
            log.Note(WireDirection.Local, $"case {run.Case.Id} (number {run.Number}) for '{run.Agent}' from {peer}: opening handshake request accepted");

            // The case's frames may follow the 101 response at once (and share its TCP segment).
            Observations seen;
            try
            {
                seen = Handshake.ScriptedResponse.Applies(run.Case) // category 15: the case's own response instead of the tester's
                    ? await Handshake.ScriptedResponse.PlayAsync(run.Case, head.Text, head.Leftover, connection, _options.Timers, log, clock, started, _stop.Token).ConfigureAwait(false)
                    : await PlayCaseAsync(run, connection, head, response, log, clock, started, deflate).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException && !_stop.IsCancellationRequested)
            {
                seen = FailedHandshake(started, clock, head.Text, $"the 101 response could not be sent: {ServerCaseRunner.Describe(e)}", response, log);
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            if (_stop.IsCancellationRequested)
            {
                _log?.Invoke($"case {run.Case.Id} for '{run.Agent}' was cut short by the end of the run: not recorded");
                return;
            }

            Record(run, seen);
        }
        finally
        {
            Interlocked.Decrement(ref _runningCases);
        }
    }

    private async Task<Observations> PlayCaseAsync(ControlRequest.RunCase run, TcpConnection connection, RequestHead head, string response, WireRecorder log, Stopwatch clock, DateTimeOffset started, DeflateAnswer? deflate)
    {
        await connection.Stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token).ConfigureAwait(false);
        var session = new CaseSession(run.Case, testerIsServer: true, connection, _options.Timers, log, clock);
        if (deflate is not null)
        {
            log.Note(WireDirection.Local, deflate.Summary);
            session.UseDeflate(deflate.Agreement, deflate.Summary, deflate.Unavailable);
        }

        return await session.RunAsync(head.Leftover, head.Text, response, started, _stop.Token).ConfigureAwait(false);
    }

    private void Record(ControlRequest.RunCase run, Observations seen)
    {
        NoteAgent(run.Agent);
        var result = ResultFactory.Build(run.Agent, run.Case, run.Number, seen, Judge.Decide(run.Case, seen));
        TaskCompletionSource<CaseResult>? waiter;
        lock (_gate)
        {
            _results[(run.Agent, run.Case.Id.Text)] = result;
            _waiters.Remove((run.Agent, run.Case.Id.Text), out waiter);
        }

        try
        {
            _finished?.Invoke(result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log?.Invoke($"writing the result of case {result.CaseId} for '{result.Agent}' failed: {e.Message}");
        }

        waiter?.TrySetResult(result);
    }

    private void NoteAgent(string agent)
    {
        lock (_gate)
        {
            if (!_agents.Contains(agent, StringComparer.Ordinal))
            {
                _agents.Add(agent);
            }
        }
    }

    /// <summary>The result of a case for an agent: at once if known, else when it finishes; null if <paramref name="giveUp"/> completes first or the server stops.</summary>
    private async Task<CaseResult?> WaitForResultAsync(string agent, string caseId, Task giveUp)
    {
        Task<CaseResult> pending;
        lock (_gate)
        {
            if (_results.TryGetValue((agent, caseId), out var known))
            {
                return known;
            }

            if (!_waiters.TryGetValue((agent, caseId), out var waiter))
            {
                waiter = new TaskCompletionSource<CaseResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters[(agent, caseId)] = waiter;
            }

            pending = waiter.Task;
        }

        var first = await Task.WhenAny(pending, giveUp, Task.Delay(Timeout.Infinite, _stop.Token)).ConfigureAwait(false);
        return first == pending && pending.IsCompletedSuccessfully ? pending.Result : null;
    }

    private static Observations FailedHandshake(DateTimeOffset started, Stopwatch clock, string request, string error, string response = "", WireRecorder? log = null) => new()
    {
        HandshakeCompleted = false,
        HandshakeError = error,
        TesterIsServer = true,
        Started = started,
        DurationMs = clock.Elapsed.TotalMilliseconds,
        HttpRequest = request,
        HttpResponse = response,
        WireLog = log?.Snapshot() ?? [],
        Closing = new CloseDetails { WasNotCleanReason = "the opening handshake did not complete" },
    };

    private async Task ServeHttpAsync(Socket socket, TcpConnection connection, ClientRequest request, string peer)
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
                : new HttpError(404, $"nothing at '{Clip(request.Path)}': open / for the browser test page, or connect a WebSocket client to {string.Join(", ", ControlRequest.Paths)}");
            if (request.Path != "/favicon.ico")
            {
                _log?.Invoke($"{peer}: plain HTTP {request.Method} '{Clip(request.Target)}' answered {error.Status}");
            }

            response = ServerHandshake.Reject(error, ServerName);
        }

        if (request.Method == "HEAD")
        {
            int end = response.AsSpan().IndexOf("\r\n\r\n"u8);
            response = response[..(end + 4)];
        }

        await RespondAsync(socket, connection, response).ConfigureAwait(false);
    }

    /// <summary>Sends a whole HTTP response, then closes: this side first (FIN), reading what is left so the peer gets no reset.</summary>
    private async Task RespondAsync(Socket socket, TcpConnection connection, byte[] response)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(_options.Timers.Scaled(_options.Timers.CloseHandshake) + TimeSpan.FromSeconds(1));
        try
        {
            await connection.Stream.WriteAsync(response, deadline.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
            var sink = new byte[4096];
            while (await connection.Stream.ReadAsync(sink, deadline.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private sealed record RequestHead(string Text, byte[] Leftover, int Received, string? Problem, int? Status, bool TimedOut);

    /// <summary>Reads the request head (up to CRLF CRLF), bounded in size and time; octets after it belong to the WebSocket.</summary>
    private async Task<RequestHead> ReadHeadAsync(TcpConnection connection, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(timeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int read = await connection.Stream.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return new RequestHead("", [], (int)received.Length, received.Length == 0 ? "the client closed the connection without sending a request" : "the client closed the connection in the middle of its request", null, false);
                }

                received.Write(buffer, 0, read);
                var all = received.GetBuffer().AsSpan(0, (int)received.Length);
                int length = ServerHandshake.HeadLength(all);
                if (length >= 0)
                {
                    // Latin-1 keeps every octet as one character, so the parser sees exactly what arrived.
                    return new RequestHead(Encoding.Latin1.GetString(all[..length]), all[length..].ToArray(), length, null, null, false);
                }

                if (received.Length > ServerHandshake.MaxRequestHeadLength)
                {
                    return new RequestHead("", [], (int)received.Length, $"the request head exceeds {ServerHandshake.MaxRequestHeadLength} octets without ending", 431, false);
                }
            }
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            return new RequestHead("", [], (int)received.Length, received.Length == 0
                ? $"the client connected but sent no request within {timeout.TotalSeconds:0.#} s: connection closed"
                : $"the client sent an incomplete request head ({received.Length} octets) within {timeout.TotalSeconds:0.#} s", received.Length == 0 ? null : 400, true);
        }
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

    private static string Clip(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
