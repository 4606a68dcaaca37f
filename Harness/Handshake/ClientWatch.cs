using System.Diagnostics;
using Conformance.Cases.Protocol;
using Conformance.Harness.Transport;

namespace Conformance.Harness.Handshake;

/// <summary>
/// After a response the client must refuse: sends the case's message and reads what the client does, until
/// it sends a data frame (it went on), a close frame or closes TCP (it failed the connection), or the bound
/// passes. Only frame headers are read (a data frame is evidence enough); at most <see cref="MaxOctets"/> are kept.
/// </summary>
internal static class ClientWatch
{
    private const int MaxOctets = 64 * 1024;

    public static async Task<ClientReaction> WatchAsync(TcpConnection connection, byte[] leftover, byte[] message, TimeSpan bound, Stopwatch clock, CancellationToken cancel)
    {
        var start = clock.Elapsed;
        string At() => $"{(clock.Elapsed - start).TotalMilliseconds:0} ms after the response";
        var received = new List<byte>(leftover);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(bound);
        var buffer = new byte[4096];
        try
        {
            if (message.Length > 0)
            {
                await connection.Stream.WriteAsync(message, deadline.Token).ConfigureAwait(false);
            }

            while (true)
            {
                if (Inspect(received) is { } verdict)
                {
                    return verdict with { Words = $"{verdict.Words}, {At()}" };
                }

                if (received.Count > MaxOctets)
                {
                    return new(false, false, $"it sent {received.Count} octets that hold no data or close frame, {At()}");
                }

                int read = await connection.Stream.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return new(false, true, $"it closed the TCP connection {At()}");
                }

                received.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new(false, false, received.Count == 0
                ? $"it sent nothing and kept the TCP connection open for {bound.TotalSeconds:0.#} s"
                : $"it sent {received.Count} octets without a data or close frame and kept the TCP connection open for {bound.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return new(false, true, $"the TCP connection ended ({Roles.ClientOpening.Describe(e)}) {At()}");
        }
    }

    /// <summary>The first data or close frame among the octets, read header by header; null while there is none yet.</summary>
    private static ClientReaction? Inspect(List<byte> octets)
    {
        int position = 0;
        while (octets.Count - position >= 2)
        {
            byte opcode = (byte)(octets[position] & 0x0F);
            int length7 = octets[position + 1] & 0x7F;
            bool masked = (octets[position + 1] & 0x80) != 0;
            if (opcode is Opcode.Text or Opcode.Binary or Opcode.Continuation)
            {
                return new(true, false, $"it sent a {Opcode.Name(opcode)} frame (the echo of the tester's message)");
            }

            if (opcode == Opcode.Close)
            {
                return new(false, true, "it sent a close frame");
            }

            int lengthField = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            int header = 2 + lengthField + (masked ? 4 : 0);
            if (octets.Count - position < header)
            {
                return null;
            }

            ulong length = (ulong)length7;
            if (lengthField > 0)
            {
                length = 0;
                for (int i = 0; i < lengthField; i++)
                {
                    length = (length << 8) | octets[position + 2 + i];
                }
            }

            if (length > MaxOctets || (ulong)(octets.Count - position - header) < length)
            {
                return null;
            }

            position += header + (int)length; // a ping or pong (or a reserved opcode): not yet a decision
        }

        return null;
    }
}
