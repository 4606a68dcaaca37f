using System.Net.Security;
using System.Net.Sockets;

namespace Conformance.Harness.Transport;

/// <summary>
/// One TCP (or TLS) connection with TCP_NODELAY, so each write the runner makes leaves as its own
/// segment. Dropping it is idempotent and never throws.
/// </summary>
internal sealed class TcpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private int _dropped;

    private TcpConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        Stream = stream;
    }

    public Stream Stream { get; }

    public bool IsDropped => Volatile.Read(ref _dropped) != 0;

    public static TcpConnection FromAccepted(Socket socket, Stream? stream = null)
    {
        socket.NoDelay = true;
        return new TcpConnection(socket, stream ?? new NetworkStream(socket, ownsSocket: false));
    }

    /// <summary>Connects to the URI's host and port; wss:// adds TLS (certificate checks can be turned off for self-signed targets).</summary>
    public static Task<TcpConnection> ConnectAsync(Uri target, TimeSpan timeout, bool allowInvalidCertificates, CancellationToken cancel) =>
        ConnectAsync(target, timeout, allowInvalidCertificates ? TlsClientPolicy.AcceptAny : TlsClientPolicy.System, cancel);

    /// <summary>Connects to the URI's host and port; wss:// adds TLS, checked by <paramref name="tls"/>, with the host name as SNI.</summary>
    /// <remarks>
    /// The connect is a blocking call (on a blocking thread, aborted by closing the socket when the time is up):
    /// an asynchronous connect would hand the socket to .NET's epoll thread for good, and then every read the
    /// session makes would be that thread waking the reader, several futex calls per round trip instead of none.
    /// </remarks>
    public static async Task<TcpConnection> ConnectAsync(Uri target, TimeSpan timeout, TlsClientPolicy tls, CancellationToken cancel)
    {
        var connection = await BlockingThreads.Run(() => ConnectBlocking(target, timeout, cancel)).ConfigureAwait(false);
        if (!IsTlsUrl(target))
        {
            return connection;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        try
        {
            var secure = new SslStream(connection.Stream, leaveInnerStreamOpen: false);
            await secure.AuthenticateAsClientAsync(tls.OptionsFor(target.IdnHost), deadline.Token).ConfigureAwait(false);
            return new TcpConnection(connection._socket, secure);
        }
        catch
        {
            connection._socket.Dispose();
            throw;
        }
    }

    public static bool IsTlsUrl(Uri target) => string.Equals(target.Scheme, "wss", StringComparison.OrdinalIgnoreCase);

    /// <summary>A plain TCP connection by a blocking connect (the socket stays blocking), given up after <paramref name="timeout"/>.</summary>
    public static TcpConnection ConnectBlocking(Uri target, TimeSpan timeout, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (deadline.Token.UnsafeRegister(s => ((Socket)s!).Dispose(), socket))
            {
                socket.Connect(target.IdnHost, target.Port);
            }

            deadline.Token.ThrowIfCancellationRequested();
            return new TcpConnection(socket, new NetworkStream(socket, ownsSocket: false));
        }
        catch (Exception e) when (deadline.IsCancellationRequested && e is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            throw new OperationCanceledException("the connect timed out", e, deadline.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether a write of a few kilobytes would be taken at once (poll(2) reports room, or an error that ends it).</summary>
    public bool HasRoomToWrite()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectWrite);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>
    /// Writes what the socket takes without waiting, straight to the socket (plain TCP on Linux only, see
    /// <see cref="CanSendNow"/>); returns the octets taken, 0 when it has no room.
    /// </summary>
    public int TrySendNow(ReadOnlySpan<byte> octets) => LinuxSend.Now(_socket.SafeHandle, octets);

    /// <summary>Whether <see cref="TrySendNow"/> can be used: plain TCP on Linux.</summary>
    public bool CanSendNow => IsPlain && OperatingSystem.IsLinux();

    /// <summary>Whether reads and writes are blocking system calls on the socket (plain TCP) rather than through TLS.</summary>
    public bool IsPlain => Stream is NetworkStream;

    /// <summary>
    /// Sends a last message (an HTTP response), then closes: this side first (FIN), reading what is left so the
    /// peer gets no reset, all within <paramref name="bound"/>. Problems on the way end it quietly.
    /// </summary>
    public async Task SendAndCloseAsync(byte[] octets, TimeSpan bound, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(bound);
        try
        {
            await Stream.WriteAsync(octets, deadline.Token).ConfigureAwait(false);
            if (Stream is SslStream secure)
            {
                await secure.ShutdownAsync().WaitAsync(deadline.Token).ConfigureAwait(false); // TLS close_notify before the FIN
            }

            _socket.Shutdown(SocketShutdown.Send);
            var sink = new byte[4096];
            while (await Stream.ReadAsync(sink, deadline.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>Closes the TCP connection from this side (FIN). Pending reads and writes end.</summary>
    public void Drop()
    {
        if (Interlocked.Exchange(ref _dropped, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        _socket.Close();
    }

    public ValueTask DisposeAsync()
    {
        Drop();
        return Stream.DisposeAsync();
    }
}
