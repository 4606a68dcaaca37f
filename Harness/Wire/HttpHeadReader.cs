namespace Conformance.Harness.Wire;

/// <summary>How reading an HTTP head ended.</summary>
internal enum HeadEnd
{
    /// <summary>The head (up to CRLF CRLF) arrived.</summary>
    Complete,

    /// <summary>The peer closed the connection before the head ended (perhaps before sending anything).</summary>
    Closed,

    /// <summary>More than the limit arrived without the head ending.</summary>
    TooLong,

    /// <summary>The deadline passed before the head ended.</summary>
    TimedOut,

    /// <summary>The connection failed (reset, I/O error): see <see cref="HeadRead.Error"/>.</summary>
    Failed,

    /// <summary>What arrived cannot become a head (e.g. a TLS ClientHello, bare-LF lines): see <see cref="HeadRead.Refusal"/>.</summary>
    Refused,
}

/// <summary>
/// What arrived: <see cref="Received"/> holds every octet read (for a complete head, exactly the head), and
/// <see cref="Leftover"/> the octets after the head, which belong to the WebSocket.
/// </summary>
internal sealed record HeadRead(HeadEnd End, byte[] Received, byte[] Leftover, Exception? Error = null)
{
    /// <summary>Why the octets were refused before the head ended (<see cref="HeadEnd.Refused"/>).</summary>
    public string? Refusal { get; init; }
}

/// <summary>
/// Reads one HTTP/1.1 request or response head (RFC 9112 §2.1: up to the empty line), bounded in size and in
/// time, for both roles: the client-testing listener reads requests with it, server testing reads responses.
/// Octets after the head are handed back, never consumed.
/// </summary>
internal static class HttpHeadReader
{
    private const int ChunkSize = 4096;

    /// <summary>
    /// Reads until the head ends, <paramref name="maxLength"/> octets arrive without an end, the peer closes, or
    /// <paramref name="deadline"/> fires (<see cref="HeadEnd.TimedOut"/>). When <paramref name="cancel"/> fires the
    /// <see cref="OperationCanceledException"/> is thrown: the run is ending, nothing is to be reported. A head longer
    /// than <paramref name="maxLength"/> is <see cref="HeadEnd.TooLong"/> however it arrived (in one write or many).
    /// <paramref name="refuseEarly"/> looks at what has arrived so far and may refuse it at once, without waiting for the deadline.
    /// </summary>
    public static async Task<HeadRead> ReadAsync(Stream stream, int maxLength, CancellationToken deadline, CancellationToken cancel, Func<ReadOnlySpan<byte>, string?>? refuseEarly = null)
    {
        var received = new MemoryStream();
        var buffer = new byte[ChunkSize];
        try
        {
            while (true)
            {
                int read = await stream.ReadAsync(buffer, deadline).ConfigureAwait(false);
                if (read == 0)
                {
                    return new HeadRead(HeadEnd.Closed, received.ToArray(), []);
                }

                if (Take(received, buffer.AsSpan(0, read), maxLength, refuseEarly) is { } done)
                {
                    return done;
                }
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new HeadRead(HeadEnd.TimedOut, received.ToArray(), []);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return new HeadRead(HeadEnd.Failed, received.ToArray(), [], e);
        }
    }

    /// <summary>
    /// <see cref="ReadAsync"/> with blocking reads, for a plain socket that never uses the asynchronous engine. The deadline
    /// is enforced by whoever owns <paramref name="deadline"/> dropping the connection, which ends a blocked read.
    /// </summary>
    public static HeadRead Read(Stream stream, int maxLength, CancellationToken deadline)
    {
        var received = new MemoryStream();
        var buffer = new byte[ChunkSize];
        try
        {
            while (true)
            {
                int read = stream.Read(buffer);
                if (read == 0)
                {
                    return new HeadRead(deadline.IsCancellationRequested ? HeadEnd.TimedOut : HeadEnd.Closed, received.ToArray(), []);
                }

                if (Take(received, buffer.AsSpan(0, read), maxLength, null) is { } done)
                {
                    return done;
                }
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return deadline.IsCancellationRequested ? new HeadRead(HeadEnd.TimedOut, received.ToArray(), []) : new HeadRead(HeadEnd.Failed, received.ToArray(), [], e);
        }
    }

    /// <summary>Adds what was read; the outcome once the head is complete or refused, null to read on.</summary>
    private static HeadRead? Take(MemoryStream received, ReadOnlySpan<byte> chunk, int maxLength, Func<ReadOnlySpan<byte>, string?>? refuseEarly)
    {
        received.Write(chunk);
        var all = received.GetBuffer().AsSpan(0, (int)received.Length);
        int length = HeadLength(all);
        if (length > maxLength || (length < 0 && received.Length > maxLength))
        {
            return new HeadRead(HeadEnd.TooLong, received.ToArray(), []);
        }

        if (refuseEarly?.Invoke(length >= 0 ? all[..length] : all) is { } refusal)
        {
            return new HeadRead(HeadEnd.Refused, received.ToArray(), []) { Refusal = refusal };
        }

        return length >= 0 ? new HeadRead(HeadEnd.Complete, all[..length].ToArray(), all[length..].ToArray()) : null;
    }

    /// <summary>Finds the end of a head (CRLF CRLF); -1 while it is incomplete.</summary>
    public static int HeadLength(ReadOnlySpan<byte> received)
    {
        int end = received.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }
}
