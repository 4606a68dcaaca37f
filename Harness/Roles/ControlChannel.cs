using System.Buffers;
using System.Text;
using Conformance.Cases.Protocol;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Roles;

/// <summary>
/// The server side of a control connection (<c>/getCaseCount</c>, <c>/getCaseInfo</c>, …): after the 101
/// response the server sends its answer as text messages and closes. It reads the client's frames only to
/// answer pings and to see the client's close frame or the end of the connection; everything else is ignored.
/// Frames from the server are unmasked (RFC 6455 §5.1).
/// </summary>
internal sealed class ControlChannel : IFrameSink, IAsyncDisposable
{
    private readonly TcpConnection _connection;
    private readonly FrameDecoder _decoder;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TaskCompletionSource _peerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop;
    private readonly Task _reader;
    private FrameHeader _frame;
    private readonly byte[] _control = new byte[FrameLimits.MaxControlPayload];
    private int _controlLength;
    private int _sentClose;
    private byte[]? _pendingPong;

    public ControlChannel(TcpConnection connection, ReadOnlyMemory<byte> leftover, CancellationToken cancel)
    {
        _connection = connection;
        _decoder = new FrameDecoder(this);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        _reader = ReadLoopAsync(leftover.ToArray());
    }

    /// <summary>Completes when the client has sent its close frame or the TCP connection has ended.</summary>
    public Task PeerDone => _peerDone.Task;

    public Task SendTextAsync(string text) => SendAsync(Opcode.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Starts the closing handshake (a close frame with an empty payload, as Autobahn's control endpoints
    /// send), waits at most <paramref name="wait"/> for the client's close or the end of the connection,
    /// then closes TCP: the server closes first (RFC 6455 §7.1.1).
    /// </summary>
    public async Task CloseAsync(TimeSpan wait)
    {
        await SendCloseAsync().ConfigureAwait(false);
        await Task.WhenAny(PeerDone, Task.Delay(wait, _stop.Token)).ConfigureAwait(false);
        _connection.Drop();
    }

    private async Task SendCloseAsync()
    {
        if (Interlocked.Exchange(ref _sentClose, 1) != 0)
        {
            return;
        }

        await SendAsync(Opcode.Close, []).ConfigureAwait(false);
    }

    private async Task SendAsync(byte opcode, byte[] payload)
    {
        var frame = new byte[FrameEncoder.MaxHeaderLength + payload.Length];
        int header = FrameEncoder.WriteHeader(frame, opcode, fin: true, rsv: 0, payload.Length, Cases.Scripting.LengthEncoding.Minimal, maskKey: null);
        payload.CopyTo(frame.AsSpan(header));
        await _writeLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            await _connection.Stream.WriteAsync(frame.AsMemory(0, header + payload.Length), _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync(byte[] leftover)
    {
        await Task.Yield();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            if (leftover.Length > 0)
            {
                await FeedAsync(leftover).ConfigureAwait(false);
            }

            while (!_peerDone.Task.IsCompleted)
            {
                int read = await _connection.Stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                await FeedAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _peerDone.TrySetResult();
        }
    }

    private async Task FeedAsync(ReadOnlyMemory<byte> octets)
    {
        _decoder.Feed(octets.Span);
        if (_decoder.Error is not null)
        {
            _peerDone.TrySetResult();
            return;
        }

        if (_pendingPong is { } payload)
        {
            _pendingPong = null;
            await SendAsync(Opcode.Pong, payload).ConfigureAwait(false);
        }

        if (_peerDone.Task.IsCompleted)
        {
            // The client started (or answered) the closing handshake: answer it if the server has not closed yet.
            await SendCloseAsync().ConfigureAwait(false);
        }
    }

    void IFrameSink.OnFrameStart(in FrameHeader header, ReadOnlySpan<byte> rawHeader)
    {
        _frame = header;
        _controlLength = 0;
    }

    void IFrameSink.OnPayload(ReadOnlySpan<byte> payload)
    {
        if (_frame.IsControl && _controlLength + payload.Length <= _control.Length)
        {
            payload.CopyTo(_control.AsSpan(_controlLength));
            _controlLength += payload.Length;
        }
    }

    void IFrameSink.OnFrameEnd()
    {
        switch (_frame.Opcode)
        {
            case Opcode.Ping:
                _pendingPong = _control.AsSpan(0, _controlLength).ToArray();
                break;
            case Opcode.Close:
                _peerDone.TrySetResult();
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _connection.Drop();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _writeLock.Dispose();
    }
}
