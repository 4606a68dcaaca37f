using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Conformance.Harness.Transport;

/// <summary>An accepted connection handed to the listener's handler.</summary>
/// <param name="Connection">The connection (TCP_NODELAY); the handler decides when it ends.</param>
/// <param name="Peer">The client's address and port, for log lines.</param>
/// <param name="OverCapacity">More than the cap are open at once: the handler should refuse this one (e.g. HTTP 503).</param>
internal sealed record AcceptedConnection(TcpConnection Connection, string Peer, bool OverCapacity)
{
    /// <summary>
    /// Stops counting this connection against the cap (it stays open): for a connection that only waits and is
    /// bounded by a budget of its own, so that waiters cannot lock new connections out.
    /// </summary>
    public Action LeaveCount { get; init; } = () => { };
}

/// <summary>
/// A TCP listener that serves every accepted connection on its own task and counts the connections open at
/// once against a cap. Disposing it stops accepting, ends the handlers through <see cref="Stopping"/> and
/// waits for them.
/// </summary>
internal sealed class ConnectionListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly int _maxConnections;
    private readonly Func<AcceptedConnection, Task> _serve;
    private readonly Action<string>? _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, bool> _handlers = new();
    private readonly Task _accepting;
    private readonly TlsServerOptions? _tls;
    private readonly TimeSpan _tlsBound;
    private int _connections;

    private ConnectionListener(Socket socket, int maxConnections, Func<AcceptedConnection, Task> serve, Action<string>? log, TlsServerOptions? tls, TimeSpan tlsBound)
    {
        _socket = socket;
        _tls = tls;
        _tlsBound = tlsBound;
        _maxConnections = maxConnections;
        _serve = serve;
        _log = log;
        var endpoint = (IPEndPoint)socket.LocalEndPoint!;
        Port = endpoint.Port;
        string host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.Equals(IPAddress.IPv6Any) ? "[::1]" : HostOf(endpoint.Address);
        Url = new Uri($"{(tls is null ? "ws" : "wss")}://{host}:{Port}");
        ListeningOn = $"{HostOf(endpoint.Address)}:{Port}";
        ReachableFromOtherMachines = !IPAddress.IsLoopback(endpoint.Address);
        _accepting = AcceptLoopAsync();
    }

    /// <summary>Starts listening. Throws <see cref="SocketException"/> when the address cannot be bound (e.g. the port is taken).</summary>
    /// <param name="tls">Serve TLS with this certificate (wss://, https://); each handshake must end within <paramref name="tlsBound"/>.</param>
    public static ConnectionListener Start(IPAddress address, int port, int maxConnections, Func<AcceptedConnection, Task> serve, Action<string>? log, TlsServerOptions? tls = null, TimeSpan tlsBound = default)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(128);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ConnectionListener(socket, maxConnections, serve, log, tls, tlsBound > TimeSpan.Zero ? tlsBound : TimeSpan.FromSeconds(5));
    }

    /// <summary>The base URL clients connect to, e.g. <c>ws://127.0.0.1:9001/</c>.</summary>
    public Uri Url { get; }

    public int Port { get; }

    /// <summary>What is really listened on, e.g. <c>0.0.0.0:9001</c> (every IPv4 interface) or <c>127.0.0.1:9001</c>.</summary>
    public string ListeningOn { get; }

    /// <summary>The address is not a loopback one: other machines may connect.</summary>
    public bool ReachableFromOtherMachines { get; }

    private static string HostOf(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>Fires when the listener is being disposed: handlers end what they are doing.</summary>
    public CancellationToken Stopping => _stop.Token;

    public bool IsStopping => _stop.IsCancellationRequested;

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await Quietly(_accepting).ConfigureAwait(false);
        await Task.WhenAll(_handlers.Keys.Select(Quietly)).ConfigureAwait(false);
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
                socket = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
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
        string peer = socket.RemoteEndPoint?.ToString() ?? "?";
        int counted = 1;
        void LeaveCount()
        {
            if (Interlocked.Exchange(ref counted, 0) == 1)
            {
                Interlocked.Decrement(ref _connections);
            }
        }

        bool overCapacity = Interlocked.Increment(ref _connections) > _maxConnections;
        try
        {
            // Over TLS the slot is held during the handshake too, which has its own bound.
            var connection = _tls is null ? TcpConnection.FromAccepted(socket) : await TlsHandshake.AcceptAsync(socket, _tls, _tlsBound, peer, _log, _stop.Token).ConfigureAwait(false);
            if (connection is null)
            {
                return;
            }

            await _serve(new AcceptedConnection(connection, peer, overCapacity) { LeaveCount = LeaveCount }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            LeaveCount();
        }
    }
}
