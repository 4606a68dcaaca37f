using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.Tests.Support;

/// <summary>
/// A deliberately wrong WebSocket server on a bare TcpListener: it completes the opening handshake
/// correctly, then at once sends an unmasked text frame "nope" that nobody asked for (in the same write as
/// the 101 response). Any echo case then FAILS (e.g. 1.1.1 expects only the echo of an empty message).
/// It answers a close frame with a close 1000 and closes the connection, so a case ends quickly.
/// Connections that close before sending a request (the CLI's reachability check) are ignored.
/// </summary>
internal sealed class UnsolicitedTextServer : IAsyncDisposable
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _handshakes;

    public UnsolicitedTextServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = new Uri($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    /// <summary>Handshakes completed so far.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    public static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(client, _stop.Token));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var token = timeout.Token;
        try
        {
            var stream = client.GetStream();
            string? key = await ReadRequestKeyAsync(stream, token).ConfigureAwait(false);
            if (key is null)
            {
                return; // reachability probe or garbage
            }

            byte[] response = Encoding.ASCII.GetBytes(
                "HTTP/1.1 101 Switching Protocols\r\n" +
                "Upgrade: websocket\r\n" +
                "Connection: Upgrade\r\n" +
                $"Sec-WebSocket-Accept: {AcceptFor(key)}\r\n\r\n");
            byte[] nope = [0x81, 0x04, (byte)'n', (byte)'o', (byte)'p', (byte)'e'];
            await stream.WriteAsync(response.Concat(nope).ToArray(), token).ConfigureAwait(false);
            Interlocked.Increment(ref _handshakes);

            // Read the client's frames; on its close frame answer with a close 1000 and end the connection.
            while (await ReadFrameOpcodeAsync(stream, token).ConfigureAwait(false) is { } opcode)
            {
                if (opcode == 0x8)
                {
                    await stream.WriteAsync(new byte[] { 0x88, 0x02, 0x03, 0xe8 }, token).ConfigureAwait(false);
                    client.Client.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Reads the HTTP request head; returns the Sec-WebSocket-Key, or null when the peer went away first.</summary>
    private static async Task<string?> ReadRequestKeyAsync(NetworkStream stream, CancellationToken token)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 16 * 1024)
        {
            if (await stream.ReadAsync(one, token).ConfigureAwait(false) == 0)
            {
                return null;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                break;
            }
        }

        foreach (string line in Encoding.ASCII.GetString(head.ToArray()).Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>Reads one whole frame and returns its opcode, or null at the end of the stream.</summary>
    private static async Task<int?> ReadFrameOpcodeAsync(NetworkStream stream, CancellationToken token)
    {
        var header = new byte[2];
        if (!await ReadExactlyOrEndAsync(stream, header, token).ConfigureAwait(false))
        {
            return null;
        }

        long length = header[1] & 0x7f;
        if (length >= 126)
        {
            var extended = new byte[length == 126 ? 2 : 8];
            if (!await ReadExactlyOrEndAsync(stream, extended, token).ConfigureAwait(false))
            {
                return null;
            }

            length = 0;
            foreach (byte b in extended)
            {
                length = (length << 8) | b;
            }
        }

        long skip = length + ((header[1] & 0x80) != 0 ? 4 : 0);
        var buffer = new byte[8192];
        while (skip > 0)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, skip)), token).ConfigureAwait(false);
            if (n == 0)
            {
                return null;
            }

            skip -= n;
        }

        return header[0] & 0x0f;
    }

    private static async Task<bool> ReadExactlyOrEndAsync(NetworkStream stream, byte[] buffer, CancellationToken token)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, token).ConfigureAwait(false);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        _stop.Dispose();
    }
}
