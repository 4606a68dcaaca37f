using System.Diagnostics;
using System.Text;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Handshake;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;
using Conformance.Reports.Text;

namespace Conformance.Harness.Roles;

/// <summary>The opening of a case in server testing: the connection and handshake, or what happened instead.</summary>
internal sealed record OpeningOutcome(Opening Opening, OpenedCase? Opened, Observations? Failed);

/// <summary>
/// Server testing's side of the opening handshake: the tester connects as a client (TCP, TLS for wss://), sends
/// its request (RFC 6455 §4.1) with the case's permessage-deflate offer, reads the response head through the
/// shared bounded reader and checks it. Every way this can go wrong becomes the case's observations.
/// </summary>
internal sealed class ClientOpening(Timers timers, TlsClientPolicy tls)
{
    /// <summary>How the request and response went: the response head as text, the octets after it, and what was wrong.</summary>
    private readonly record struct Exchange(string Head, byte[] Leftover, string? Error, bool Answered, bool TimedOut);

    public ClientOpening(Timers timers, bool allowInvalidCertificates = false)
        : this(timers, allowInvalidCertificates ? TlsClientPolicy.AcceptAny : TlsClientPolicy.System)
    {
    }

    public const string UserAgent = "wsconf/0.1 (WebSocket conformance harness)";

    public async Task<OpeningOutcome> OpenAsync(ServerTarget target, Case @case, WireRecorder log, Stopwatch clock, DateTimeOffset started, CancellationToken cancel)
    {
        var openTimeout = timers.Scaled(timers.OpenHandshake);

        // Without a usable zlib the tester offers nothing; the case then fails with that reason (not as a handshake failure).
        string? noZlib = @case.Deflate is not null ? Wire.Deflate.Zlib.Problem : null;
        var deflate = noZlib is null ? @case.Deflate : null;
        var offer = new HandshakeOffer(target.Url, UserAgent) { Origin = target.Origin, Protocols = target.Protocols, Extensions = deflate?.OfferHeader, Headers = target.Headers };
        string key = ClientHandshake.NewKey();
        string request = ClientHandshake.BuildRequest(offer, key);
        TcpConnection connection;
        string head;
        byte[] leftover;
        string? error;
        bool answered, timedOut;
        try
        {
            // Plain TCP: connect and handshake with blocking calls on a blocking thread, so the socket never joins the
            // asynchronous engine (see TcpConnection.ConnectAsync); TLS keeps SslStream's asynchronous handshake.
            (connection, (head, leftover, error, answered, timedOut)) = TcpConnection.IsTlsUrl(target.Url)
                ? await ConnectAndExchangeAsync(target.Url, request, openTimeout, cancel).ConfigureAwait(false)
                : await BlockingThreads.Run(() => ConnectAndExchange(target.Url, request, openTimeout, cancel)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            var unreachable = Failed(started, clock, $"cannot connect to {target.Url}: {Describe(e)}", "", "", log, openTimeout: e is OperationCanceledException);
            return new OpeningOutcome(Opening.ConnectFailed, null, unreachable);
        }

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
            return new OpeningOutcome(answered ? Opening.Refused : Opening.NoAnswer, null, DeflateNegotiation.Refused(deflate, parsed, failed));
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
                failed = failed with { Deflate = new DeflateObservations { Negotiation = described, IllegalResponse = illegal, AcceptedInvalidOffer = negotiation.AcceptsInvalidOffer } };
                return new OpeningOutcome(Opening.Refused, null, failed);
            }
        }

        log.Note(WireDirection.Local, "opening handshake complete");
        var agreement = deflate is { KeepsOfferHints: true } ? negotiation!.Agreement?.WithClientHints(deflate.Offers) : negotiation?.Agreement;
        var use = deflate is not null ? new DeflateUse(agreement, DeflateNegotiation.Describe(deflate, parsed!, negotiation!)) { OmittedRepeat = negotiation!.OmittedRepeat }
            : noZlib is not null ? new DeflateUse(null, "permessage-deflate was not offered", noZlib)
            : null;
        var opened = new OpenedCase(@case, TesterIsServer: false, connection, leftover, request, head, started) { Deflate = use };
        return new OpeningOutcome(Opening.Completed, opened, null);
    }

    private async Task<(TcpConnection, Exchange)> ConnectAndExchangeAsync(Uri url, string request, TimeSpan timeout, CancellationToken cancel)
    {
        var connection = await TcpConnection.ConnectAsync(url, timeout, tls, cancel).ConfigureAwait(false);
        return (connection, await ExchangeAsync(connection, request, timeout, cancel).ConfigureAwait(false));
    }

    private static (TcpConnection, Exchange) ConnectAndExchange(Uri url, string request, TimeSpan timeout, CancellationToken cancel)
    {
        var connection = TcpConnection.ConnectBlocking(url, timeout, cancel);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        HeadRead read;
        using (deadline.Token.UnsafeRegister(c => ((TcpConnection)c!).Drop(), connection))
        {
            try
            {
                connection.Stream.Write(Encoding.ASCII.GetBytes(request));
                read = HttpHeadReader.Read(connection.Stream, ClientHandshake.MaxResponseHeadLength, deadline.Token);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                read = deadline.IsCancellationRequested ? new HeadRead(HeadEnd.TimedOut, [], []) : new HeadRead(HeadEnd.Failed, [], [], e);
            }
        }

        if (cancel.IsCancellationRequested)
        {
            connection.Drop();
            cancel.ThrowIfCancellationRequested();
        }

        return (connection, Outcome(read, timeout));
    }

    /// <summary>
    /// Sends the request and reads the response head (bounded in size and time). Octets after the head are frames.
    /// <c>Answered</c>: the server sent a whole head (whatever it says), so it is alive.
    /// </summary>
    private static async Task<Exchange> ExchangeAsync(TcpConnection connection, string request, TimeSpan timeout, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        HeadRead read;
        try
        {
            await connection.Stream.WriteAsync(Encoding.ASCII.GetBytes(request), deadline.Token).ConfigureAwait(false);
            read = await HttpHeadReader.ReadAsync(connection.Stream, ClientHandshake.MaxResponseHeadLength, deadline.Token, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            read = new HeadRead(HeadEnd.TimedOut, [], []);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            read = new HeadRead(HeadEnd.Failed, [], [], e);
        }

        return Outcome(read, timeout);
    }

    private static Exchange Outcome(HeadRead read, TimeSpan timeout)
    {
        string received = HeadText.Printable(read.Received);
        return read.End switch
        {
            HeadEnd.Complete => new(received, read.Leftover, null, true, false),
            HeadEnd.Closed => new(received, [], read.Received.Length == 0 ? "the server closed the connection without answering the handshake" : "the server closed the connection in the middle of its handshake response", false, false),
            HeadEnd.TooLong => new(HeadText.Printable(read.Received.AsSpan(0, 1024)) + Clip.Ellipsis, [], $"the handshake response head exceeds {ClientHandshake.MaxResponseHeadLength} octets without ending", true, false),
            HeadEnd.TimedOut => new(received, [], $"no complete handshake response within {timeout.TotalSeconds:0.#} s", false, true),
            _ => new(received, [], $"the connection failed during the handshake: {Describe(read.Error!)}", false, false),
        };
    }

    private static Observations Failed(DateTimeOffset started, Stopwatch clock, string error, string request, string response, WireRecorder log, bool openTimeout) =>
        Observations.WithoutConnection(testerIsServer: false, started, clock.Elapsed, error, "the opening handshake did not complete", openTimeout) with
        {
            HttpRequest = request,
            HttpResponse = response,
            WireLog = log.Snapshot(),
        };

    /// <summary>A connection problem in a few words.</summary>
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
