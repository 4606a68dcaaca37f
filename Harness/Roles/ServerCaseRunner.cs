using System.Diagnostics;
using System.Text;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;

namespace Conformance.Harness.Roles;

/// <summary>Testing a server: the tester connects as a client, opens the WebSocket, plays one case and judges it.</summary>
internal sealed class ServerCaseRunner(Timers timers, bool verbose, Action<string>? echo, bool allowInvalidCertificates = false)
{
    public const string UserAgent = "wsconf/0.1 (WebSocket conformance harness)";

    public async Task<CaseResult> RunAsync(ServerTarget target, Case @case, int index, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var log = new WireRecorder(clock, verbose, echo is null ? null : line => echo($"[{target.Agent} {@case.Id}] {line}"));
        var seen = Handshake.ScriptedRequest.Applies(@case)
            ? await Handshake.ScriptedRequest.PlayAsync(target, @case, timers, log, clock, started, allowInvalidCertificates, cancel).ConfigureAwait(false)
            : await PlayAsync(target, @case, log, clock, started, cancel).ConfigureAwait(false);
        return ResultFactory.Build(target.Agent, @case, index, seen, Judge.Decide(@case, seen));
    }

    private async Task<Observations> PlayAsync(ServerTarget target, Case @case, WireRecorder log, Stopwatch clock, DateTimeOffset started, CancellationToken cancel)
    {
        var openTimeout = timers.Scaled(timers.OpenHandshake);
        TcpConnection connection;
        try
        {
            connection = await TcpConnection.ConnectAsync(target.Url, openTimeout, allowInvalidCertificates, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            return Failed(started, clock, $"cannot connect to {target.Url}: {Describe(e)}", "", "", log, openTimeout: e is OperationCanceledException);
        }

        // Without a usable zlib the tester offers nothing; the case then fails with that reason (not as a handshake failure).
        string? noZlib = @case.Deflate is not null ? Wire.Deflate.Zlib.Problem : null;
        var deflate = noZlib is null ? @case.Deflate : null;
        var offer = new HandshakeOffer(target.Url, UserAgent) { Origin = target.Origin, Protocols = target.Protocols, Extensions = deflate?.OfferHeader, Headers = target.Headers };
        string key = ClientHandshake.NewKey();
        string request = ClientHandshake.BuildRequest(offer, key);
        var (head, leftover, error, timedOut) = await ExchangeAsync(connection, request, openTimeout, cancel).ConfigureAwait(false);
        HttpHead? parsed = null;
        if (error is null)
        {
            error = ClientHandshake.Check(head, key, offer, out parsed);
        }

        if (error is not null)
        {
            log.Note(WireDirection.Local, $"opening handshake failed: {error}");
            await connection.DisposeAsync().ConfigureAwait(false);
            var failed = Failed(started, clock, error, request, head, log, timedOut);
            return DeflateNegotiation.Refused(deflate, parsed, failed);
        }

        ClientNegotiation? negotiation = null;
        if (deflate is not null)
        {
            negotiation = PerMessageDeflate.CheckResponse(deflate.Offers, parsed!.Get("Sec-WebSocket-Extensions"), deflate.OmittedRepeat != OmittedRepeat.Fail);
            string described = DeflateNegotiation.Describe(deflate, parsed, negotiation);
            log.Note(WireDirection.Local, described);
            if (negotiation.Error is { } illegal)
            {
                log.Note(WireDirection.Local, "failing the connection: the extension response is illegal (RFC 7692 §7)");
                await connection.DisposeAsync().ConfigureAwait(false);
                var failed = Failed(started, clock, illegal, request, head, log, openTimeout: false);
                return failed with { Deflate = new DeflateObservations { Negotiation = described, IllegalResponse = illegal, AcceptedInvalidOffer = negotiation.AcceptsInvalidOffer } };
            }
        }

        log.Note(WireDirection.Local, "opening handshake complete");
        var session = new CaseSession(@case, testerIsServer: false, connection, timers, log, clock);
        if (deflate is not null)
        {
            session.UseDeflate(negotiation!.Agreement, DeflateNegotiation.Describe(deflate, parsed!, negotiation));
        }
        else if (noZlib is not null)
        {
            session.UseDeflate(null, "permessage-deflate was not offered", unavailable: noZlib);
        }

        var played = await session.RunAsync(leftover, request, head, started, cancel).ConfigureAwait(false);
        return DeflateNegotiation.WithOmittedRepeat(played, negotiation);
    }

    /// <summary>Sends the request and reads the response head (bounded in size and time). Octets after the head are frames.</summary>
    private static async Task<(string Head, byte[] Leftover, string? Error, bool TimedOut)> ExchangeAsync(TcpConnection connection, string request, TimeSpan timeout, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            await connection.Stream.WriteAsync(Encoding.ASCII.GetBytes(request), deadline.Token).ConfigureAwait(false);
            while (true)
            {
                int read = await connection.Stream.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    string partial = Printable(received.ToArray());
                    return (partial, [], received.Length == 0 ? "the server closed the connection without answering the handshake" : "the server closed the connection in the middle of its handshake response", false);
                }

                received.Write(buffer, 0, read);
                var all = received.GetBuffer().AsSpan(0, (int)received.Length);
                int headLength = ClientHandshake.HeadLength(all);
                if (headLength >= 0)
                {
                    return (Printable(all[..headLength].ToArray()), all[headLength..].ToArray(), null, false);
                }

                if (received.Length > ClientHandshake.MaxResponseHeadLength)
                {
                    return (Printable(all[..1024].ToArray()) + "…", [], $"the handshake response head exceeds {ClientHandshake.MaxResponseHeadLength} octets without ending", false);
                }
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return (Printable(received.ToArray()), [], $"no complete handshake response within {timeout.TotalSeconds:0.#} s", true);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return (Printable(received.ToArray()), [], $"the connection failed during the handshake: {Describe(e)}", false);
        }
    }

    /// <summary>What the peer sent, as text a report can show: invalid octets become U+FFFD, control characters are escaped.</summary>
    private static string Printable(byte[] octets)
    {
        string text = Encoding.UTF8.GetString(octets);
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(c is '\r' or '\n' || !char.IsControl(c) ? c : $"\\x{(int)c:x2}");
        }

        return builder.ToString();
    }

    private static Observations Failed(DateTimeOffset started, Stopwatch clock, string error, string request, string response, WireRecorder log, bool openTimeout) => new()
    {
        HandshakeCompleted = false,
        HandshakeError = error,
        Started = started,
        DurationMs = clock.Elapsed.TotalMilliseconds,
        HttpRequest = request,
        HttpResponse = response,
        WireLog = log.Snapshot(),
        Closing = new CloseDetails { WasOpenHandshakeTimeout = openTimeout, WasNotCleanReason = "the opening handshake did not complete" },
    };

    internal static string Describe(Exception e) => e switch
    {
        System.Net.Sockets.SocketException s => s.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.ConnectionRefused => "connection refused",
            System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData => "host not found",
            System.Net.Sockets.SocketError.ConnectionReset => "connection reset by the peer",
            _ => s.Message,
        },
        OperationCanceledException => "timed out",
        _ when e.InnerException is { } inner => Describe(inner),
        _ => e.Message,
    };
}
