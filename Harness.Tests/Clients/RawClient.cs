using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.Tests.Clients;

/// <summary>
/// A hand-made client on a bare socket, to play clients that misbehave on purpose (garbage, silence, early
/// exits) and to see the server's octets exactly as they arrive.
/// </summary>
internal sealed class RawClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly MemoryStream _unread = new();

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        Stream = tcp.GetStream();
    }

    public NetworkStream Stream { get; }

    public Socket Socket => _tcp.Client;

    public static async Task<RawClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawClient(tcp);
    }

    public static string Upgrade(string target, string host = "127.0.0.1", string version = "13") =>
        $"GET {target} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\nSec-WebSocket-Version: {version}\r\n\r\n";

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] octets) => await Stream.WriteAsync(octets);

    /// <summary>Reads the response head (up to CRLF CRLF); octets after it stay for <see cref="ReadFrameAsync"/>.</summary>
    public async Task<string> ReadHeadAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var all = _unread.ToArray();
            int end = all.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                Keep(all.AsSpan(end + 4));
                return Encoding.Latin1.GetString(all, 0, end + 4);
            }

            if (!await FillAsync(deadline.Token))
            {
                Keep([]);
                return Encoding.Latin1.GetString(all);
            }
        }
    }

    /// <summary>Everything until the server closes the connection.</summary>
    public async Task<string> ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (await FillAsync(deadline.Token))
        {
        }

        var all = _unread.ToArray();
        Keep([]);
        return Encoding.Latin1.GetString(all);
    }

    /// <summary>One frame from the server (opcode, payload, masked), or null when the connection ended first.</summary>
    public async Task<(byte Opcode, byte[] Payload, bool Masked)?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var all = _unread.ToArray();
            if (TryFrame(all, out var frame, out int used))
            {
                Keep(all.AsSpan(used));
                return frame;
            }

            if (!await FillAsync(deadline.Token))
            {
                return null;
            }
        }
    }

    /// <summary>A client frame: FIN set, masked with a random key (RFC 6455 §5.3).</summary>
    public Task SendFrameAsync(byte opcode, byte[] payload, bool mask = true)
    {
        var frame = new List<byte> { (byte)(0x80 | opcode) };
        byte maskBit = mask ? (byte)0x80 : (byte)0;
        if (payload.Length <= 125)
        {
            frame.Add((byte)(maskBit | payload.Length));
        }
        else
        {
            frame.Add((byte)(maskBit | 126));
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }

        var body = (byte[])payload.Clone();
        if (mask)
        {
            byte[] key = RandomNumberGenerator.GetBytes(4);
            frame.AddRange(key);
            for (int i = 0; i < body.Length; i++)
            {
                body[i] ^= key[i % 4];
            }
        }

        frame.AddRange(body);
        return SendAsync(frame.ToArray());
    }

    /// <summary>Echoes data frames and answers close frames until the server ends the connection; returns the frames seen.</summary>
    public async Task<IReadOnlyList<(byte Opcode, byte[] Payload, bool Masked)>> EchoUntilClosedAsync(TimeSpan? timeout = null)
    {
        var seen = new List<(byte, byte[], bool)>();
        while (await ReadFrameAsync(timeout) is { } frame)
        {
            seen.Add(frame);
            switch (frame.Opcode)
            {
                case 1 or 2:
                    await SendFrameAsync(frame.Opcode, frame.Payload);
                    break;
                case 8:
                    await SendFrameAsync(8, frame.Payload);
                    break;
                case 9:
                    await SendFrameAsync(10, frame.Payload);
                    break;
            }
        }

        return seen;
    }

    private async Task<bool> FillAsync(CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        int read;
        try
        {
            read = await Stream.ReadAsync(buffer, cancel);
        }
        catch (IOException)
        {
            return false;
        }

        if (read == 0)
        {
            return false;
        }

        _unread.Seek(0, SeekOrigin.End);
        _unread.Write(buffer, 0, read);
        return true;
    }

    private void Keep(ReadOnlySpan<byte> rest)
    {
        var copy = rest.ToArray();
        _unread.SetLength(0);
        _unread.Write(copy);
    }

    private static bool TryFrame(byte[] octets, out (byte Opcode, byte[] Payload, bool Masked) frame, out int used)
    {
        frame = default;
        used = 0;
        if (octets.Length < 2)
        {
            return false;
        }

        bool masked = (octets[1] & 0x80) != 0;
        long length = octets[1] & 0x7f;
        int position = 2;
        if (length == 126)
        {
            if (octets.Length < 4)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(octets.AsSpan(2));
            position = 4;
        }
        else if (length == 127)
        {
            if (octets.Length < 10)
            {
                return false;
            }

            length = (long)BinaryPrimitives.ReadUInt64BigEndian(octets.AsSpan(2));
            position = 10;
        }

        byte[] key = [];
        if (masked)
        {
            if (octets.Length < position + 4)
            {
                return false;
            }

            key = octets.AsSpan(position, 4).ToArray();
            position += 4;
        }

        if (octets.Length < position + length)
        {
            return false;
        }

        var payload = octets.AsSpan(position, (int)length).ToArray();
        for (int i = 0; masked && i < payload.Length; i++)
        {
            payload[i] ^= key[i % 4];
        }

        frame = ((byte)(octets[0] & 0x0f), payload, masked);
        used = position + (int)length;
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
