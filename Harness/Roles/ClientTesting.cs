using System.Diagnostics;
using System.Net;
using System.Text;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;
using Conformance.Reports.Text;

namespace Conformance.Harness.Roles;

/// <summary>What a client-testing run needs: the plan, where to listen, and how to run the cases.</summary>
internal sealed record ClientTestOptions
{
    /// <summary>The selected cases, in numeric order (case number N of the URL protocol is <c>Plan.Cases[N - 1]</c>), and the agents' exclusions.</summary>
    public required RunPlan Plan { get; init; }

    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    public Timers Timers { get; init; } = new();

    public bool Verbose { get; init; }

    /// <summary>Connections served at once; more are answered 503 and closed.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>Keep only each finished case's summary (<see cref="CaseResult.Summary"/>) on the board: runs whose recorder writes each case's JSON file as it ends.</summary>
    public bool SummariesOnly { get; init; }

    /// <summary>Serve wss:// (and https:// for the browser page) with this certificate; null is plain ws://.</summary>
    public TlsServerOptions? Tls { get; init; }

    /// <summary><c>/getCaseStatus</c> questions that may wait at once, apart from <see cref="MaxConnections"/>; more are answered at once.</summary>
    public int MaxStatusWaiters { get; init; } = 64;

    /// <summary>Agents a run accepts; a <c>/runCase</c> from one more is refused (429).</summary>
    public int MaxAgents { get; init; } = DefaultMaxAgents;

    public const int DefaultMaxAgents = 100;

    /// <summary>False: the board keeps no result (fuzz --client counts them as they come); <c>/getCaseStatus</c> then only answers questions asked before the case ended.</summary>
    public bool KeepResults { get; init; } = true;

    /// <summary>Awaited before <c>/getCaseCount</c> is answered: a run whose cases change between a client's rounds (fuzz --client) sets them here.</summary>
    public Func<CancellationToken, Task>? BeforeCaseCount { get; init; }
}

/// <summary>
/// Testing clients (Autobahn's fuzzingserver, catalogue spec §3.3, §4): the harness listens, and clients drive
/// it through the URLs they connect to. Each connection: the request head is read (bounded in size and time),
/// a plain HTTP request gets the browser page or a refusal, a control URL gets its answer
/// (<see cref="ControlEndpoints"/>), and <c>/runCase</c> is accepted by the case's rules and handed to the
/// <see cref="CaseRunner"/> with the tester as the server; its result goes on the <see cref="ResultsBoard"/>.
/// </summary>
internal sealed partial class ClientTesting : IAsyncDisposable
{
    private readonly ClientTestOptions _options;
    private readonly Action<CaseResult>? _finished;
    private readonly Action<string>? _log;
    private readonly ResultsBoard _board;
    private readonly ControlEndpoints _endpoints;
    private readonly CaseRunner _runner;
    private readonly ConnectionListener _listener;
    private int _runningCases;

    private ClientTesting(ClientTestOptions options, Action<CaseResult>? finished, Action<string>? log, Func<ResultsBoard, Task>? updateReports)
    {
        _options = options;
        _finished = finished;
        _log = log;
        _board = new ResultsBoard(options.SummariesOnly, keepNone: !options.KeepResults);
        _endpoints = new ControlEndpoints(options, _board, updateReports, log);
        _runner = new CaseRunner(options.Timers);
        _listener = ConnectionListener.Start(options.Address, options.Port, options.MaxConnections, ServeAsync, log, options.Tls, options.Timers.Scaled(options.Timers.OpenHandshake));
    }

    /// <summary>Starts listening. Throws <see cref="System.Net.Sockets.SocketException"/> when the address cannot be bound (e.g. the port is taken).</summary>
    /// <param name="options">Where to listen and what to play.</param>
    /// <param name="finished">Called with every case result as soon as the case has ended (from any thread).</param>
    /// <param name="log">Notable events: refused requests, silent clients, interrupted cases.</param>
    /// <param name="updateReports">Called with the results so far for <c>/updateReports</c>, before the server answers it.</param>
    public static ClientTesting Start(ClientTestOptions options, Action<CaseResult>? finished = null, Action<string>? log = null, Func<ResultsBoard, Task>? updateReports = null) =>
        new(options, finished, log, updateReports);

    /// <summary>The base URL clients connect to, e.g. <c>ws://127.0.0.1:9001/</c>.</summary>
    public Uri Url => _listener.Url;

    /// <summary>What is really listened on, e.g. <c>0.0.0.0:9001</c>.</summary>
    public string ListeningOn => _listener.ListeningOn;

    /// <summary>Other machines may connect (the address is not a loopback one).</summary>
    public bool ReachableFromOtherMachines => _listener.ReachableFromOtherMachines;

    /// <summary>The base URL without a trailing slash, to put a path after: <c>ws://127.0.0.1:9001</c>.</summary>
    public string BaseUrl => $"{Url.Scheme}://{Url.Authority}";

    /// <summary>The browser test page: <c>http://…/</c>, or <c>https://…/</c> when serving TLS.</summary>
    public string PageUrl => $"{(_options.Tls is null ? "http" : "https")}://{Url.Authority}/";

    public int Port => _listener.Port;

    /// <summary>Completes with the reason when a client asked the server to stop (<c>/stopServer</c>, or <c>/updateReports</c> with <c>shutdownOnComplete</c>).</summary>
    public Task<string> StopRequested => _endpoints.StopRequested;

    /// <summary>Cases being played right now.</summary>
    public int RunningCases => Volatile.Read(ref _runningCases);

    /// <summary>The latest result of every agent and case (a case run again replaces the earlier result), by agent then case number.</summary>
    public IReadOnlyList<CaseResult> Results => _board.Results;

    /// <summary>The agents that asked for at least one case, in order of their first request.</summary>
    public IReadOnlyList<string> Agents => _board.Agents;

    /// <summary>The cases an agent is expected to run: the selection minus its exclude-agent-cases.</summary>
    public IReadOnlyList<Case> CasesFor(string agent) => _options.Plan.CasesFor(agent);

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

    /// <summary>
    /// Stops listening and ends every connection; a case cut short by this is not recorded. <c>/getCaseStatus</c>
    /// questions still waiting are answered "not run yet" first (bounded by the closing handshake's timer).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_listener.IsStopping)
        {
            return;
        }

        _board.ReleaseWaiters();
        var answered = Stopwatch.StartNew();
        while (_endpoints.StatusAnswers > 0 && answered.Elapsed < _options.Timers.Scaled(_options.Timers.CloseHandshake) + TimeSpan.FromSeconds(1))
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ServeAsync(AcceptedConnection accepted)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var (connection, peer) = (accepted.Connection, accepted.Peer);
        var stop = _listener.Stopping;
        bool handedOver = false;
        try
        {
            if (accepted.OverCapacity)
            {
                await RespondAsync(connection, ServerHandshake.Reject(new HttpError(503, $"more than {_options.MaxConnections} connections at once"), ControlEndpoints.ServerName)).ConfigureAwait(false);
                return;
            }

            var head = await ReadHeadAsync(connection, peer, _options.Timers.Scaled(_options.Timers.OpenHandshake), stop).ConfigureAwait(false);
            if (head is null)
            {
                return;
            }

            started = DateTimeOffset.UtcNow; // a case starts when its upgrade request has been read (Autobahn's 'started' in the server role)
            var request = ServerHandshake.Parse(head.Text, out var httpError);
            if (request is null)
            {
                _log?.Invoke($"{peer}: refused ({httpError!.Status}): {httpError.Message}");
                await RespondAsync(connection, ServerHandshake.Reject(httpError!, ControlEndpoints.ServerName)).ConfigureAwait(false);
                return;
            }

            if (!request.AsksForWebSocket)
            {
                await RespondAsync(connection, _endpoints.PlainHttp(request, peer)).ConfigureAwait(false);
                return;
            }

            var control = ControlRequest.Parse(request.Path, request.Query, _options.Plan.Cases, out httpError);
            var handshakeError = ServerHandshake.Check(request);
            if (control is ControlRequest.RunCase asked && !_board.Admit(asked.Agent, _options.MaxAgents))
            {
                (control, httpError) = (null, new HttpError(429, $"this run accepts at most {_options.MaxAgents} agents (--max-agents) and has that many: no room for another agent"));
            }

            if (control is null || handshakeError is not null)
            {
                var error = httpError ?? handshakeError!;
                _log?.Invoke($"{peer}: refused '{Clip.After(request.Target, 100)}' ({error.Status}): {error.Message}");
                if (control is ControlRequest.RunCase failedCase && handshakeError is not null && !IsExcluded(failedCase))
                {
                    Record(failedCase, FailedHandshake(started, clock, head.Text, $"the client's opening handshake is invalid: {handshakeError.Message}"));
                }

                await RespondAsync(connection, ServerHandshake.Reject(error, ControlEndpoints.ServerName)).ConfigureAwait(false);
                return;
            }

            // Compression cases: answer the client's permessage-deflate offers by the case's accept rule (RFC 7692 §5).
            var deflate = control is ControlRequest.RunCase { Case.Deflate: { } setup } ? DeflateNegotiation.Answer(setup, request.Head.Get("Sec-WebSocket-Extensions")) : null;
            string response = ServerHandshake.Accept(request, ControlEndpoints.ServerName, deflate?.Response);
            if (control is ControlRequest.RunCase run && !IsExcluded(run))
            {
                handedOver = true;
                await RunCaseAsync(run, connection, head, response, started, clock, peer, deflate).ConfigureAwait(false);
                return;
            }

            await connection.Stream.WriteAsync(Encoding.ASCII.GetBytes(response), stop).ConfigureAwait(false);
            await using var channel = new ControlChannel(connection, head.Leftover, stop);
            await _endpoints.AnswerAsync(control, channel, accepted.LeaveCount, stop).ConfigureAwait(false);
        }
        finally
        {
            if (!handedOver)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private bool IsExcluded(ControlRequest.RunCase run) => _options.Plan.IsExcluded(run.Agent, run.Case);

    /// <summary>Sends a whole HTTP response, then closes: this side first (FIN), reading what is left so the peer gets no reset.</summary>
    private Task RespondAsync(TcpConnection connection, byte[] response) =>
        connection.SendAndCloseAsync(response, _options.Timers.Scaled(_options.Timers.CloseHandshake) + TimeSpan.FromSeconds(1), _listener.Stopping);
}
