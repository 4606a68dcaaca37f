using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.Tests.Clients;

/// <summary>
/// A hand-made client on a bare socket, to play clients that misbehave on purpose (garbage, silence, early
/// exits) and to see the server's octets exactly as they arrive. Built on the test-peer kit's
/// <see cref="ScriptedConnection"/> and frame codec; every read has a deadline (10 s unless given).
/// </summary>
internal sealed class RawClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _deadline = new();
    private readonly ScriptedConnection _wire;

    private RawClient(Socket socket) => _wire = new ScriptedConnection(socket, _deadline.Token);

    public NetworkStream Stream => _wire.Stream;

    public Socket Socket => _wire.Socket;

    public static async Task<RawClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return new RawClient(socket);
    }

    public static string Upgrade(string target, string host = "127.0.0.1", string version = "13") =>
        $"GET {target} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\nSec-WebSocket-Version: {version}\r\n\r\n";

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] octets) => await Stream.WriteAsync(octets);

    /// <summary>Reads the response head (up to CRLF CRLF); octets after it stay for <see cref="ReadFrameAsync"/>.</summary>
    public Task<string> ReadHeadAsync(TimeSpan? timeout = null) => WithinAsync(timeout, async () =>
    {
        int end;
        while ((end = _wire.Peek().IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await MoreAsync())
            {
                return Take(_wire.Buffered);
            }
        }

        return Take(end + 4);
    });

    /// <summary>Everything until the server closes the connection.</summary>
    public Task<string> ReadToEndAsync(TimeSpan? timeout = null) => WithinAsync(timeout, async () =>
    {
        var all = new StringBuilder(Take(_wire.Buffered));
        while (await MoreAsync())
        {
            all.Append(Take(_wire.Buffered));
        }

        return all.ToString();
    });

    /// <summary>One frame from the server (opcode, payload, masked), or null when the connection ended first.</summary>
    public Task<(byte Opcode, byte[] Payload, bool Masked)?> ReadFrameAsync(TimeSpan? timeout = null) => WithinAsync(timeout, async () =>
    {
        try
        {
            return await _wire.ReadFrameAsync() is { } frame ? (frame.Header.Opcode, frame.Payload, frame.Header.Masked) : ((byte, byte[], bool)?)null;
        }
        catch (IOException)
        {
            return null;
        }
    });

    /// <summary>A client frame: FIN set, masked with a random key (RFC 6455 §5.3).</summary>
    public Task SendFrameAsync(byte opcode, byte[] payload, bool mask = true) =>
        SendAsync(TestFrames.Encode(opcode, payload, mask: mask, key: mask ? RandomNumberGenerator.GetBytes(4) : null));

    /// <summary>Echoes data frames and answers close frames until the server ends the connection; returns the frames seen.</summary>
    public async Task<IReadOnlyList<(byte Opcode, byte[] Payload, bool Masked)>> EchoUntilClosedAsync(TimeSpan? timeout = null)
    {
        var seen = new List<(byte, byte[], bool)>();
        while (await ReadFrameAsync(timeout) is { } frame)
        {
            seen.Add(frame);
            switch (frame.Opcode)
            {
                case TestFrames.Text or TestFrames.Binary:
                    await SendFrameAsync(frame.Opcode, frame.Payload);
                    break;
                case TestFrames.Close:
                    await SendFrameAsync(TestFrames.Close, frame.Payload);
                    break;
                case TestFrames.Ping:
                    await SendFrameAsync(TestFrames.Pong, frame.Payload);
                    break;
            }
        }

        return seen;
    }

    public ValueTask DisposeAsync()
    {
        _wire.Socket.Dispose();
        _deadline.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs one read under the deadline; a read that outlives it throws OperationCanceledException.</summary>
    private async Task<T> WithinAsync<T>(TimeSpan? timeout, Func<Task<T>> read)
    {
        _deadline.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            return await read();
        }
        finally
        {
            _deadline.TryReset();
        }
    }

    /// <summary>Reads more octets; false at the end of the stream (a reset counts as an end) or with a full buffer.</summary>
    private async Task<bool> MoreAsync()
    {
        try
        {
            return await _wire.ReadMoreAsync(); // false too when the buffer is full: the caller takes what it holds
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The next <paramref name="count"/> buffered octets as Latin-1 text, consumed.</summary>
    private string Take(int count)
    {
        string text = Encoding.Latin1.GetString(_wire.Peek()[..count]);
        _wire.Consume(count);
        return text;
    }
}
