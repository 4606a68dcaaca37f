using Conformance.Harness.Roles;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Handshake;

/// <summary>A response head as read: its octets (what arrived, when incomplete), the octets after it, or why there is none.</summary>
internal sealed record ReadHead(byte[] Octets, byte[] Leftover, string? Problem, bool TimedOut);

/// <summary>
/// Reads a server's response head while the request is still being written, bounded in size
/// (<see cref="ClientHandshake.MaxResponseHeadLength"/>) and time, and notes how much of the request had
/// been written when the first response octet arrived.
/// </summary>
internal sealed class ResponseReader(TcpConnection connection, TimeSpan timeout, CancellationToken cancel)
{
    private int _written;
    private int _answeredAt = -1;

    /// <summary>Request octets written so far (set by the writer).</summary>
    public int Written
    {
        get => Volatile.Read(ref _written);
        set => Volatile.Write(ref _written, value);
    }

    /// <summary>How many request octets had been written when the first response octet arrived; null when none arrived.</summary>
    public int? AnsweredAt => Volatile.Read(ref _answeredAt) is >= 0 and var at ? at : null;

    public async Task<ReadHead> ReadHeadAsync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int read = await connection.Stream.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return new(received.ToArray(), [], received.Length == 0 ? "the server closed the connection without answering" : "the server closed the connection in the middle of its response head", false);
                }

                Interlocked.CompareExchange(ref _answeredAt, Written, -1);
                received.Write(buffer, 0, read);
                var all = received.GetBuffer().AsSpan(0, (int)received.Length);
                int headLength = ClientHandshake.HeadLength(all);
                if (headLength >= 0)
                {
                    return new(all[..headLength].ToArray(), all[headLength..].ToArray(), null, false);
                }

                if (received.Length > ClientHandshake.MaxResponseHeadLength)
                {
                    return new(all[..1024].ToArray(), [], $"the response head exceeds {ClientHandshake.MaxResponseHeadLength} octets without ending", false);
                }
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new(received.ToArray(), [], $"no complete response within {timeout.TotalSeconds:0.#} s", true);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return new(received.ToArray(), [], $"the connection failed while reading the response: {ClientOpening.Describe(e)}", false);
        }
    }
}
