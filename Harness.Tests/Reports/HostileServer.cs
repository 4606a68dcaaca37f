using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.Tests.Reports;

/// <summary>
/// A WebSocket "server" whose every word is an attack on the report: markup, attribute breakers, control
/// characters and bidirectional overrides in its headers, messages and close reason, and (on its second
/// connection) a 1 MiB header value. Connection 3 sends a text message that is not valid UTF-8. Loopback only;
/// each connection ends by itself within a couple of seconds.
/// </summary>
internal sealed class HostileServer : IAsyncDisposable
{
    public const string Markup = "<script>alert(1)</script>";
    public const string CloseReason = "</td><script>x</script>\u0001\u0008\r\n\u202e";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _count;

    public HostileServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Url => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                int number = Interlocked.Increment(ref _count);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(client, number));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client, int number)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var stream = client.GetStream();
        try
        {
            string? key = await ReadRequestKeyAsync(stream, timeout.Token).ConfigureAwait(false);
            if (key is null)
            {
                return;
            }

            await stream.WriteAsync(Response(key, number == 2), timeout.Token).ConfigureAwait(false);
            if (number == 2)
            {
                return;
            }

            if (number == 3)
            {
                await stream.WriteAsync(Frame(1, [0xff, 0xfe, .. "<b onclick=x>"u8, 0xc3]), timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await stream.WriteAsync(Frame(1, Encoding.UTF8.GetBytes(Markup + "\u0000\u0007\"'`=<img src=x onerror=alert(2)>")), timeout.Token).ConfigureAwait(false);
                await stream.WriteAsync(Frame(2, "<svg onload=alert(3)>"u8.ToArray()), timeout.Token).ConfigureAwait(false);
            }

            await stream.WriteAsync(Frame(8, [0x03, 0xe8, .. Encoding.UTF8.GetBytes(CloseReason)]), timeout.Token).ConfigureAwait(false);
            var drain = new byte[4096];
            using var linger = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            linger.CancelAfter(TimeSpan.FromSeconds(1.5));
            while (await stream.ReadAsync(drain, linger.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
        }
    }

    private static async Task<string?> ReadRequestKeyAsync(NetworkStream stream, CancellationToken cancel)
    {
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && head.Length < 16384)
        {
            int read = await stream.ReadAsync(buffer, cancel).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString().Split("\r\n").FirstOrDefault(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Trim();
    }

    private static byte[] Response(string key, bool huge)
    {
        string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        var head = new StringBuilder()
            .Append("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append("Sec-WebSocket-Accept: ").Append(accept).Append("\r\n")
            .Append("X-Evil: ").Append(Markup).Append("\r\n")
            .Append("X-Attr: \" onmouseover=\"alert(1)\" x='\r\n")
            .Append("Server: </pre></td></tr></table><script>alert(4)</script>\r\n")
            .Append("X-Controls: \u0001\u001b[2J\u007f\u202egnp.exe\r\n");
        if (huge)
        {
            head.Append("X-Huge: ").Append('A', 1 << 20).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(head.Append("\r\n").ToString());
    }

    private static byte[] Frame(int opcode, byte[] payload)
    {
        var frame = new List<byte> { (byte)(0x80 | opcode) };
        if (payload.Length < 126)
        {
            frame.Add((byte)payload.Length);
        }
        else
        {
            frame.Add(126);
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }

        frame.AddRange(payload);
        return [.. frame];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _stop.Dispose();
    }
}
