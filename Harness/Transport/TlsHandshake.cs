using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Conformance.Harness.Transport;

/// <summary>
/// The server side of one TLS handshake on an accepted socket, bounded in time: a client that opens TCP and sends
/// nothing, or garbage, is logged in one line and closed, and holds its connection slot no longer than the bound.
/// A failure touches only that connection.
/// </summary>
internal static class TlsHandshake
{
    /// <summary>The TLS connection, or null when the handshake failed (logged; the socket is closed).</summary>
    public static async Task<TcpConnection?> AcceptAsync(Socket socket, TlsServerOptions tls, TimeSpan bound, string peer, Action<string>? log, CancellationToken stop)
    {
        var secure = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(bound);

        // Closing the socket is what surely ends a handshake stuck in a read, whatever SslStream does with the token.
        await using var abort = deadline.Token.Register(socket.Dispose);
        try
        {
            var options = new SslServerAuthenticationOptions { ServerCertificate = tls.Certificate, ClientCertificateRequired = false };
            await secure.AuthenticateAsServerAsync(options, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (!stop.IsCancellationRequested)
            {
                log?.Invoke($"{peer}: TLS handshake failed: {(deadline.IsCancellationRequested ? $"none completed within {bound.TotalSeconds:0.#} s" : TlsServerOptions.Describe(e))}; connection closed");
            }

            await secure.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            return null;
        }

        return TcpConnection.FromAccepted(socket, secure);
    }
}
