using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;

namespace Conformance.Tests.Broken;

/// <summary>How the scripted server answers the opening handshake (RFC 6455 §4.2.2).</summary>
public enum HandshakeFault
{
    /// <summary>A correct 101 response.</summary>
    None,

    /// <summary>Accepts TCP, reads the request, never answers.</summary>
    NeverAnswers,

    /// <summary>Answers 404 Not Found and closes.</summary>
    NotFound,

    /// <summary>Answers random octets ending in an empty line (a "head" that is not HTTP), then closes.</summary>
    Garbage,

    /// <summary>Answers random octets without any line structure, then closes.</summary>
    GarbageThenClose,

    /// <summary>Answers 101 with a Sec-WebSocket-Accept computed from another key.</summary>
    WrongAccept,

    /// <summary>Answers a 101 status line, then a header line of a megabyte that never ends; keeps the connection open.</summary>
    EndlessHeaderLine,
}

/// <summary>A close code the echo endpoint gets wrong.</summary>
internal enum WrongCloseCode
{
    None,

    /// <summary>Fails the connection with 1000 instead of 1002/1007 (a protocol error is not a normal closure).</summary>
    NormalOnProtocolError,

    /// <summary>Answers a valid close with 1002 instead of echoing the code (RFC 6455 §5.5.1).</summary>
    ProtocolErrorOnValidClose,
}

/// <summary>
/// What the scripted server does. All defaults give a correct echo endpoint; each option injects
/// exactly one violation, so a test can tell which rule a verdict comes from.
/// </summary>
internal sealed record ScriptedServerOptions
{
    public HandshakeFault Handshake { get; init; }

    /// <summary>Replaces the echo endpoint after a successful handshake (for wire-level misbehaviour).</summary>
    public Func<ScriptedConnection, Task>? AfterHandshake { get; init; }

    /// <summary>Flips the lowest bit of the last octet of every non-empty echo (keeps UTF-8 valid).</summary>
    public bool EchoCorruptsPayload { get; init; }

    /// <summary>Ignores pings (RFC 6455 §5.5.2 requires a pong).</summary>
    public bool NeverPongs { get; init; }

    /// <summary>Answers pings with a pong whose payload differs from the ping's.</summary>
    public bool PongWrongPayload { get; init; }

    /// <summary>Treats frames with RSV bits set as if the bits were clear (§5.2 requires failing).</summary>
    public bool AcceptsRsvBits { get; init; }

    /// <summary>Skips frames with reserved opcodes instead of failing (§5.2).</summary>
    public bool AcceptsReservedOpcodes { get; init; }

    /// <summary>Ignores continuation frames with nothing to continue; a new data frame in an open message restarts it (§5.4).</summary>
    public bool IgnoresFragmentationErrors { get; init; }

    /// <summary>Never checks that text messages are UTF-8 (§8.1).</summary>
    public bool AcceptsInvalidUtf8 { get; init; }

    public WrongCloseCode ClosesWithWrongCode { get; init; }

    /// <summary>Never answers a close frame; keeps reading until the peer drops TCP (§5.5.1).</summary>
    public bool NeverAnswersClose { get; init; }

    /// <summary>Echoes a fragmented message as if its first frame were all of it (the rest is read and lost).</summary>
    public bool EchoesFirstFragmentOnly { get; init; }

    /// <summary>Echoes only the first <see cref="TruncateAt"/> octets of a message.</summary>
    public bool TruncatesLargeMessages { get; init; }

    public int TruncateAt { get; init; } = 64 * 1024;

    /// <summary>Accepts unmasked client frames (§5.1 requires failing).</summary>
    public bool AcceptsUnmaskedFrames { get; init; }

    /// <summary>Wherever it should send a close frame, it drops TCP instead.</summary>
    public bool DropsTcpWithoutClose { get; init; }

    /// <summary>Sends a text message right after the handshake, before anything was asked.</summary>
    public bool SendsUnsolicitedMessageAtStart { get; init; }

    /// <summary>Masks its own frames (§5.1: a server MUST NOT mask).</summary>
    public bool MasksItsFrames { get; init; }
}

/// <summary>
/// A small wire-level WebSocket server for tests, in the style of Npgsql's PgServerMock: a
/// TcpListener on 127.0.0.1:0, a correct RFC 6455 opening handshake (or a broken one on request),
/// then a per-connection behaviour — by default a correct echo endpoint (<see cref="EchoEndpoint"/>).
/// It shares no code with the harness.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const int MaxRequestHead = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly Task _acceptLoop;
    private int _accepted;
    private int _handshakes;

    private ScriptedServer(ScriptedServerOptions options)
    {
        Options = options;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 128);
        Url = new Uri($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public ScriptedServerOptions Options { get; }

    public Uri Url { get; }

    /// <summary>TCP connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Opening handshakes completed with a 101 so far.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    /// <summary>Exceptions a connection script threw that are not plain I/O ends: a bug in the server itself.</summary>
    public ConcurrentQueue<Exception> Errors { get; } = new();

    public static ScriptedServer Start(ScriptedServerOptions? options = null) => new(options ?? new ScriptedServerOptions());

    public ServerTarget Target(string agent = "scripted") => new(agent, Url);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var socket in _connections.Keys)
        {
            socket.Close();
        }

        await Task.WhenAny(Task.WhenAll([_acceptLoop, .. _connections.Values]), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        _stop.Dispose();
    }

    public static string AcceptFor(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            socket.NoDelay = true;
            _connections[socket] = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var connection = new ScriptedConnection(socket, _stop.Token);
        try
        {
            if (await HandshakeAsync(connection).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _handshakes);
                await (Options.AfterHandshake ?? (c => new EchoEndpoint(c, Options).RunAsync()))(connection).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or the server is stopping: nothing to report.
        }
        catch (Exception e)
        {
            Errors.Enqueue(e);
        }
        finally
        {
            socket.Close();
            _connections.TryRemove(socket, out _);
        }
    }

    /// <summary>RFC 6455 §4.2: reads the request head, answers it (or misbehaves as asked). True when the connection is open.</summary>
    private async Task<bool> HandshakeAsync(ScriptedConnection connection)
    {
        int headLength;
        while ((headLength = connection.Peek().IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (connection.Buffered > MaxRequestHead || !await connection.ReadMoreAsync().ConfigureAwait(false))
            {
                return false;
            }
        }

        string head = Encoding.ASCII.GetString(connection.Peek()[..headLength]);
        connection.Consume(headLength + 4);
        string? key = head.Split("\r\n").Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim().Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase))
            .Select(parts => parts[1].Trim())
            .FirstOrDefault();

        switch (Options.Handshake)
        {
            case HandshakeFault.NeverAnswers:
                await connection.WaitForPeerToCloseAsync().ConfigureAwait(false);
                return false;
            case HandshakeFault.NotFound:
                await connection.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nNot Found\n"u8.ToArray()).ConfigureAwait(false);
                await connection.CloseTcpAsync().ConfigureAwait(false);
                return false;
            case HandshakeFault.Garbage:
                await connection.WriteAsync((byte[])[.. Garbage(512), .. "\r\n\r\n"u8]).ConfigureAwait(false);
                await connection.CloseTcpAsync().ConfigureAwait(false);
                return false;
            case HandshakeFault.GarbageThenClose:
                await connection.WriteAsync(Garbage(512)).ConfigureAwait(false);
                await connection.CloseTcpAsync().ConfigureAwait(false);
                return false;
            case HandshakeFault.EndlessHeaderLine:
                await connection.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Endless: "u8.ToArray()).ConfigureAwait(false);
                var filler = Enumerable.Repeat((byte)'a', 64 * 1024).ToArray();
                for (int i = 0; i < 16; i++)
                {
                    await connection.WriteAsync(filler).ConfigureAwait(false);
                }

                await connection.StallAsync().ConfigureAwait(false);
                return false;
        }

        if (key is null)
        {
            await connection.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray()).ConfigureAwait(false);
            await connection.CloseTcpAsync().ConfigureAwait(false);
            return false;
        }

        string accept = AcceptFor(Options.Handshake == HandshakeFault.WrongAccept ? "dGhlIHNhbXBsZSBub25jZQ==" + "x" : key);
        await connection.WriteAsync(Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {accept}\r\n" +
            "Server: ScriptedServer\r\n\r\n")).ConfigureAwait(false);
        if (Options.Handshake == HandshakeFault.WrongAccept)
        {
            await connection.CloseTcpAsync().ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>Random octets with no CR or LF in them.</summary>
    private static byte[] Garbage(int length)
    {
        var octets = RandomNumberGenerator.GetBytes(length);
        for (int i = 0; i < octets.Length; i++)
        {
            if (octets[i] is (byte)'\r' or (byte)'\n')
            {
                octets[i] = 0xFF;
            }
        }

        return octets;
    }
}
