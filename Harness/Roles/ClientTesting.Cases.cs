using System.Diagnostics;
using System.Text;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;

namespace Conformance.Harness.Roles;

/// <summary>Client testing: reading the request head, and playing and recording a <c>/runCase</c>.</summary>
internal sealed partial class ClientTesting
{
    private sealed record RequestHead(string Text, byte[] Leftover);

    /// <summary>
    /// The request head through the shared bounded reader; null when there is none to act on (the client left, sent
    /// too much or too little in time), in which case what happened is logged and, where HTTP allows, answered.
    /// </summary>
    private async Task<RequestHead?> ReadHeadAsync(TcpConnection connection, string peer, TimeSpan timeout, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(timeout);
        var read = await HttpHeadReader.ReadAsync(connection.Stream, ServerHandshake.MaxRequestHeadLength, deadline.Token, stop, RequestHeadCheck.Refusal).ConfigureAwait(false);
        if (read.End == HeadEnd.Complete)
        {
            // Latin-1 keeps every octet as one character, so the parser sees exactly what arrived.
            return new RequestHead(Encoding.Latin1.GetString(read.Received), read.Leftover);
        }

        if (read.End == HeadEnd.Failed)
        {
            return null; // the connection broke: nobody to tell
        }

        int received = read.Received.Length;
        var (problem, status) = read.End switch
        {
            HeadEnd.Closed => (received == 0 ? "the client closed the connection without sending a request" : "the client closed the connection in the middle of its request", (int?)null),
            HeadEnd.TooLong => ($"the request head exceeds {ServerHandshake.MaxRequestHeadLength} octets", 431),
            HeadEnd.Refused => (read.Refusal ?? "the request cannot be read", 400),
            _ => (received == 0
                ? $"the client connected but sent no request within {timeout.TotalSeconds:0.#} s: connection closed"
                : $"the client sent an incomplete request head ({received} octets) within {timeout.TotalSeconds:0.#} s", received == 0 ? null : 400),
        };
        if (received > 0 || read.End == HeadEnd.TimedOut)
        {
            _log?.Invoke($"{peer}: {problem}");
        }

        if (status is { } code)
        {
            await RespondAsync(connection, ServerHandshake.Reject(new HttpError(code, problem), ControlEndpoints.ServerName)).ConfigureAwait(false);
        }

        return null;
    }

    private async Task RunCaseAsync(ControlRequest.RunCase run, TcpConnection connection, RequestHead head, string response, DateTimeOffset started, Stopwatch clock, string peer, DeflateAnswer? deflate)
    {
        using var running = _board.BeginRun(run.Agent, run.Case.Id.Text); // until its result is posted: /getCaseStatus waits for it
        Interlocked.Increment(ref _runningCases);
        var stop = _listener.Stopping;
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
                    ? await Handshake.ScriptedResponse.PlayAsync(run.Case, head.Text, head.Leftover, connection, _runner, _options.Timers, log, clock, started, stop).ConfigureAwait(false)
                    : await PlayCaseAsync(run, connection, head, response, started, clock, log, deflate, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException && !stop.IsCancellationRequested)
            {
                seen = FailedHandshake(started, clock, head.Text, $"the 101 response could not be sent: {ClientOpening.Describe(e)}", response, log);
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            if (stop.IsCancellationRequested)
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

    /// <summary>The tester's own 101 response, then the case over the open connection.</summary>
    private async Task<Observations> PlayCaseAsync(ControlRequest.RunCase run, TcpConnection connection, RequestHead head, string response, DateTimeOffset started, Stopwatch clock, WireRecorder log, DeflateAnswer? deflate, CancellationToken stop)
    {
        await connection.Stream.WriteAsync(Encoding.ASCII.GetBytes(response), stop).ConfigureAwait(false);
        if (deflate is not null)
        {
            log.Note(WireDirection.Local, deflate.Summary);
        }

        var opened = new OpenedCase(run.Case, TesterIsServer: true, connection, head.Leftover, head.Text, response, started)
        {
            Deflate = deflate is null ? null : new DeflateUse(deflate.Agreement, deflate.Summary, deflate.Unavailable),
        };
        return await _runner.PlayAsync(opened, log, clock, stop).ConfigureAwait(false);
    }

    private void Record(ControlRequest.RunCase run, Observations seen)
    {
        var result = CaseRunner.Result(run.Agent, run.Case, run.Number, seen);
        _board.Post(result, posted =>
        {
            try
            {
                _finished?.Invoke(posted);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log?.Invoke($"writing the result of case {posted.CaseId} for '{posted.Agent}' failed: {e.Message}");
            }
        });
    }

    private static Observations FailedHandshake(DateTimeOffset started, Stopwatch clock, string request, string error, string response = "", WireRecorder? log = null) =>
        Observations.WithoutConnection(testerIsServer: true, started, clock.Elapsed, error, "the opening handshake did not complete") with
        {
            HttpRequest = request,
            HttpResponse = response,
            WireLog = log?.Snapshot() ?? [],
        };
}
