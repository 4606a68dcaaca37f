using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Conformance.Tests.Broken;

namespace Conformance.Tests.Handshake;

/// <summary>The one rule of the server's opening handshake (RFC 6455 §4.2) a <see cref="HandshakeServer"/> breaks.</summary>
public enum ServerViolation
{
    None,
    AcceptsAnyVersion,
    RefusesVersionWithoutField,
    AcceptsMissingOrBadKey,
    UpgradesHttp10,
    UpgradesAnyMethod,
    IgnoresHost,
    WrongAccept,
    CaseSensitiveNames,
    ExactUpgradeValue,
    ExactConnectionValue,
    EchoesProtocolList,
    AddsUnofferedExtension,
    RefusesUnknownExtensions,
    AnswersBeforeEmptyLine,
    LosesEarlyFrame,
}

/// <summary>
/// An echo server for tests with its own strict opening handshake (no harness code): it refuses what RFC 6455
/// §4.2.1 says to refuse with the status the RFC names (400, 426 with Sec-WebSocket-Version: 13, 405), selects no
/// subprotocol and no extension, then echoes with the scripted server's <see cref="EchoEndpoint"/>. One
/// <see cref="ServerViolation"/> breaks exactly one rule.
/// </summary>
internal sealed class HandshakeServer : IAsyncDisposable
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly Task _acceptLoop;

    private HandshakeServer(ServerViolation violation)
    {
        Violation = violation;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(128);
        Url = new Uri($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/echo");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public ServerViolation Violation { get; }

    public Uri Url { get; }

    /// <summary>Exceptions that are not plain I/O ends: bugs in the server itself.</summary>
    public ConcurrentQueue<Exception> Errors { get; } = new();

    public static HandshakeServer Start(ServerViolation violation = ServerViolation.None) => new(violation);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _connections.Keys)
        {
            socket.Close();
        }

        await Task.WhenAny(Task.WhenAll([_acceptLoop, .. _connections.Values]), Task.Delay(TimeSpan.FromSeconds(5)));
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                socket.NoDelay = true;
                _connections[socket] = Task.Run(() => ServeAsync(socket));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var connection = new ScriptedConnection(socket, _stop.Token);
        try
        {
            int headLength;
            while ((headLength = HeadEnd(connection.Peek())) < 0)
            {
                if (Violation == ServerViolation.AnswersBeforeEmptyLine && connection.Peek().EndsWith("\r\n"u8) && !socket.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead))
                {
                    headLength = connection.Buffered; // a pause after a complete line taken as the end of the request
                    break;
                }

                if (connection.Buffered > 16 * 1024 || !await connection.ReadMoreAsync())
                {
                    return;
                }
            }

            string head = Encoding.Latin1.GetString(connection.Peek()[..headLength]);
            connection.Consume(headLength);
            var (response, open) = Answer(head);
            await connection.WriteAsync(Encoding.Latin1.GetBytes(response));
            if (!open)
            {
                await connection.CloseTcpAsync(TimeSpan.FromSeconds(1));
                return;
            }

            await SkipHeldEmptyLineAsync(connection);
            if (Violation == ServerViolation.LosesEarlyFrame)
            {
                connection.Consume(connection.Buffered);
            }

            await new EchoEndpoint(connection, new ScriptedServerOptions()).RunAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
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

    private static int HeadEnd(ReadOnlySpan<byte> buffer)
    {
        int blank = buffer.IndexOf("\r\n\r\n"u8);
        return blank < 0 ? -1 : blank + 4;
    }

    /// <summary>The server that answered early still owes the request its empty line: it reads it before the frames.</summary>
    private async Task SkipHeldEmptyLineAsync(ScriptedConnection connection)
    {
        if (Violation != ServerViolation.AnswersBeforeEmptyLine)
        {
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        wait.CancelAfter(TimeSpan.FromSeconds(2));
        while (connection.Buffered < 2 && await connection.ReadMoreAsync().AsTask().WaitAsync(wait.Token))
        {
        }

        if (connection.Peek().StartsWith("\r\n"u8))
        {
            connection.Consume(2);
        }
    }

    private (string Response, bool Open) Answer(string head)
    {
        var lines = head.Split("\r\n").Where(l => l.Length > 0).ToArray();
        string[] start = lines[0].Split(' ');
        var fields = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2).Select(p => (Name: p[0], Value: p[1].Trim(' ', '\t'))).ToArray();
        var comparison = Violation == ServerViolation.CaseSensitiveNames ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        string[] All(string name) => fields.Where(f => f.Name.Equals(name, comparison)).Select(f => f.Value).ToArray();
        string[] Tokens(string name) => All(name).SelectMany(v => v.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0).ToArray();

        if (start.Length != 3 || (start[2] != "HTTP/1.1" && !(Violation == ServerViolation.UpgradesHttp10 && start[2] == "HTTP/1.0")))
        {
            return (Refusal(400, "Bad Request"), false);
        }

        if (start[0] != "GET" && Violation != ServerViolation.UpgradesAnyMethod)
        {
            return (Refusal(405, "Method Not Allowed", "Allow: GET"), false);
        }

        if (All("Host").Length != 1 && Violation != ServerViolation.IgnoresHost)
        {
            return (Refusal(400, "Bad Request"), false);
        }

        bool upgrade = Violation == ServerViolation.ExactUpgradeValue ? All("Upgrade").SequenceEqual(["websocket"]) : Tokens("Upgrade").Contains("websocket", StringComparer.OrdinalIgnoreCase);
        if (!upgrade)
        {
            return (Refusal(426, "Upgrade Required", "Upgrade: websocket", "Connection: Upgrade"), false);
        }

        bool connectionUpgrade = Violation == ServerViolation.ExactConnectionValue ? All("Connection").SequenceEqual(["Upgrade"]) : Tokens("Connection").Contains("Upgrade", StringComparer.OrdinalIgnoreCase);
        if (!connectionUpgrade)
        {
            return (Refusal(400, "Bad Request"), false);
        }

        if (!All("Sec-WebSocket-Version").SequenceEqual(["13"]) && Violation != ServerViolation.AcceptsAnyVersion)
        {
            return (Violation == ServerViolation.RefusesVersionWithoutField ? Refusal(426, "Upgrade Required") : Refusal(426, "Upgrade Required", "Sec-WebSocket-Version: 13"), false);
        }

        string[] keys = All("Sec-WebSocket-Key");
        bool validKey = keys.Length == 1 && keys[0].Length == 24 && Convert.TryFromBase64String(keys[0], new byte[18], out int decoded) && decoded == 16;
        if (!validKey && Violation != ServerViolation.AcceptsMissingOrBadKey)
        {
            return (Refusal(400, "Bad Request"), false);
        }

        string[] extensions = All("Sec-WebSocket-Extensions");
        if (extensions.Length > 0 && Violation == ServerViolation.RefusesUnknownExtensions)
        {
            return (Refusal(400, "Bad Request"), false);
        }

        string key = string.Join(", ", keys) + (Violation == ServerViolation.WrongAccept ? "x" : "");
        string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        var response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
        response.Append("Sec-WebSocket-Accept: ").Append(accept).Append("\r\n");
        if (Violation == ServerViolation.EchoesProtocolList && All("Sec-WebSocket-Protocol").Length > 0)
        {
            response.Append("Sec-WebSocket-Protocol: ").Append(string.Join(", ", All("Sec-WebSocket-Protocol"))).Append("\r\n");
        }

        if (Violation == ServerViolation.AddsUnofferedExtension && extensions.Length > 0)
        {
            response.Append("Sec-WebSocket-Extensions: permessage-deflate\r\n");
        }

        return (response.Append("\r\n").ToString(), true);
    }

    private static string Refusal(int status, string reason, params string[] fields) =>
        $"HTTP/1.1 {status} {reason}\r\n" + string.Concat(fields.Select(f => f + "\r\n")) + "Content-Length: 0\r\nConnection: close\r\n\r\n";
}
