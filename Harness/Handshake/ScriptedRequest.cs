using System.Diagnostics;
using System.Text;
using Conformance.Cases.Scripting;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;

namespace Conformance.Harness.Handshake;

/// <summary>
/// Testing a server with a category-15 case: opens the connection with the case's own request (written as
/// the case says: whole, one octet per write, the last line held back, or with the first frame in the same
/// write), reads the response head (bounded in size and time, as the tester's own handshake is), and
/// either hands the open connection to a <see cref="CaseSession"/> for the rest of the script or ends it.
/// </summary>
internal sealed class ScriptedRequest(Timers timers, TlsClientPolicy tls)
{
    public static bool Applies(Case @case) => @case.Handshake is not null && @case.Script is [SendHandshakeRequest, ..];

    /// <summary>
    /// Opens the connection with the case's request. Completed: the connection is open and the rest of the script
    /// (without the request step) is to be played; otherwise the observations say what the server answered.
    /// </summary>
    public async Task<OpeningOutcome> OpenAsync(ServerTarget target, Case @case, WireRecorder log, Stopwatch clock, DateTimeOffset started, CancellationToken cancel)
    {
        var step = (SendHandshakeRequest)@case.Script[0];
        var openTimeout = timers.Scaled(timers.OpenHandshake);
        string key = ClientHandshake.NewKey();
        var values = new Dictionary<string, string>
        {
            [HandshakeTokens.Path] = string.IsNullOrEmpty(target.Url.PathAndQuery) ? "/" : target.Url.PathAndQuery,
            [HandshakeTokens.Host] = $"{(target.Url.IdnHost.Contains(':') ? $"[{target.Url.IdnHost}]" : target.Url.IdnHost)}:{target.Url.Port}",
            [HandshakeTokens.Key] = key,
            [HandshakeTokens.SecondKey] = ClientHandshake.NewKey(),
        };
        string request = step.Request.Render(values, UpgradeCheck.UserFields(target, step.Request));
        string shownRequest = HeadText.Printable(request);

        TcpConnection connection;
        try
        {
            connection = await TcpConnection.ConnectAsync(target.Url, openTimeout, tls, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            return new(Opening.ConnectFailed, null, Ended(started, clock, log, shownRequest, "", $"cannot connect to {target.Url}: {ClientOpening.Describe(e)}", null, e is OperationCanceledException));
        }

        byte[] octets = Encoding.Latin1.GetBytes(request);
        byte[] frame = step.FirstFrame is { } first ? Octets(first) : [];
        var reader = new ResponseReader(connection, openTimeout, cancel);
        var reading = reader.ReadHeadAsync();
        string? writeError = await WriteAsync(connection, step, octets, frame, reader, log, cancel).ConfigureAwait(false);
        var head = await reading.ConfigureAwait(false);
        string shownResponse = HeadText.Printable(head.Octets);
        string? early = reader.AnsweredAt is { } at && at < octets.Length ? $"the first octets of the response arrived when {at} of the request's {octets.Length} octets had been written" : null;
        if (head.Problem is { } problem)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            string why = writeError is null ? problem : $"{problem} (writing the request failed: {writeError})";
            log.Note(WireDirection.Local, $"no response: {why}");
            return new(Opening.NoAnswer, null, Ended(started, clock, log, shownRequest, shownResponse, why, new HandshakeObservations { NoResponse = why, AnsweredEarly = early }, head.TimedOut));
        }

        string headText = Encoding.Latin1.GetString(head.Octets);
        var parsed = HttpHead.Parse(headText);
        var seen = new HandshakeObservations { Status = HeadText.StatusOf(parsed.StartLine), Fields = parsed.Fields, AnsweredEarly = early };
        log.Note(WireDirection.Local, $"response: {HeadText.Printable(parsed.StartLine)}");
        if (@case.Handshake is not HandshakeRule.Established)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return new(Opening.Refused, null, Ended(started, clock, log, shownRequest, shownResponse, null, seen));
        }

        if (UpgradeCheck.Check(headText, request, key, target.Url, out _) is { } invalid)
        {
            log.Note(WireDirection.Local, $"opening handshake failed: {invalid}");
            await connection.DisposeAsync().ConfigureAwait(false);
            return new(Opening.Refused, null, Ended(started, clock, log, shownRequest, shownResponse, invalid, seen with { InvalidUpgrade = seen.Status == 101 ? invalid : null }));
        }

        log.Note(WireDirection.Local, "opening handshake complete");
        var rest = @case with { Script = @case.Script.Skip(1).ToArray() };
        return new(Opening.Completed, new OpenedCase(rest, TesterIsServer: false, connection, head.Leftover, shownRequest, shownResponse, started) { Handshake = seen }, null);
    }

    /// <summary>Writes the request as the step says; returns why writing failed (the server may close early), or null.</summary>
    private static async Task<string?> WriteAsync(TcpConnection connection, SendHandshakeRequest step, byte[] request, byte[] frame, ResponseReader reader, WireRecorder log, CancellationToken cancel)
    {
        try
        {
            if (step.Writing.Mode == WriteMode.Chopped)
            {
                // Written counts the octets handed to the socket, set before each write: an answer that
                // arrives while the last octets are on their way is not early.
                for (int i = 0; i < request.Length; i += step.Writing.ChopSize)
                {
                    int size = Math.Min(step.Writing.ChopSize, request.Length - i);
                    reader.Written = i + size;
                    await connection.Stream.WriteAsync(request.AsMemory(i, size), cancel).ConfigureAwait(false);
                }

                log.Note(WireDirection.Local, $"request written in {request.Length} writes of {step.Writing.ChopSize} octet(s)");
            }
            else if (step.HoldLastLine > TimeSpan.Zero)
            {
                reader.Written = request.Length - 2;
                await connection.Stream.WriteAsync(request.AsMemory(0, request.Length - 2), cancel).ConfigureAwait(false);
                log.Note(WireDirection.Local, $"request written without its final CRLF; holding it for {step.HoldLastLine.TotalSeconds:0.#} s");
                await Task.Delay(step.HoldLastLine, cancel).ConfigureAwait(false);
                reader.Written = request.Length;
                await connection.Stream.WriteAsync(request.AsMemory(request.Length - 2), cancel).ConfigureAwait(false);
            }
            else
            {
                reader.Written = request.Length;
                await connection.Stream.WriteAsync((byte[])[.. request, .. frame], cancel).ConfigureAwait(false);
                if (frame.Length > 0)
                {
                    log.Note(WireDirection.Local, $"request and first frame ({frame.Length} octets) written in one write");
                }
            }

            return null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return ClientOpening.Describe(e);
        }
    }

    private static byte[] Octets(Frame frame)
    {
        var prepared = PreparedFrame.For(frame, testerIsServer: false, new MaskKeySource());
        var octets = new byte[prepared.TotalLength];
        prepared.CopyTo(0, octets);
        return octets;
    }

    private static Observations Ended(DateTimeOffset started, Stopwatch clock, WireRecorder log, string request, string response, string? error, HandshakeObservations? seen, bool timedOut = false) =>
        Observations.WithoutConnection(testerIsServer: false, started, clock.Elapsed, error ?? "the server did not accept the request", "no WebSocket connection was opened", timedOut) with
        {
            HttpRequest = request,
            HttpResponse = response,
            WireLog = log.Snapshot(),
            Handshake = seen,
        };
}
