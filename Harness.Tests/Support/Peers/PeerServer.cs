using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Conformance.Harness.Running;

namespace Conformance.Tests.Support;

/// <summary>
/// The tests' scriptable wire-level WebSocket server, in the style of Npgsql's PgServerMock: a TcpListener
/// on 127.0.0.1:0; for every accepted connection a handshake hook (<see cref="Handshakes.Accept"/> by
/// default) and, when it opened the connection, a script over the <see cref="ScriptedConnection"/>. Every
/// test server is a configuration of it (<c>ScriptedServer</c>, <c>DeflateEchoServer</c>,
/// <c>UnsolicitedTextServer</c>, <c>HostileServer</c>). It shares no code with the harness.
/// </summary>
internal sealed class PeerServer : IAsyncDisposable
{
    private readonly Func<ScriptedConnection, Task<bool>> _handshake;
    private readonly Func<ScriptedConnection, Task> _script;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly Task _acceptLoop;
    private int _accepted;
    private int _handshakes;

    private PeerServer(Func<ScriptedConnection, Task> script, Func<ScriptedConnection, Task<bool>> handshake, string path)
    {
        _script = script;
        _handshake = handshake;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 128);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Url = new Uri($"ws://127.0.0.1:{Port}{path}");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public Uri Url { get; }

    /// <summary>TCP connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections the handshake hook opened so far.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    /// <summary>Exceptions a hook or script threw that are not plain I/O ends: a bug in the test peer (or a failed expectation).</summary>
    public ConcurrentQueue<Exception> Errors { get; } = new();

    /// <summary>Starts listening: every connection runs <paramref name="handshake"/> (default: a correct 101), then <paramref name="script"/>.</summary>
    public static PeerServer Start(Func<ScriptedConnection, Task> script, Func<ScriptedConnection, Task<bool>>? handshake = null, string path = "/") =>
        new(script, handshake ?? Support.Handshakes.Accept, path);

    public ServerTarget Target(string agent) => new(agent, Url);

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

            int number = Interlocked.Increment(ref _accepted);
            socket.NoDelay = true;
            _connections[socket] = Task.Run(() => ServeAsync(socket, number));
        }
    }

    private async Task ServeAsync(Socket socket, int number)
    {
        var connection = new ScriptedConnection(socket, _stop.Token, number);
        try
        {
            if (await _handshake(connection).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _handshakes);
                await _script(connection).ConfigureAwait(false);
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
}
