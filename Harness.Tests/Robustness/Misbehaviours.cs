using System.Buffers.Binary;
using System.Text;
using Conformance.Tests.Broken;

namespace Conformance.Tests.Robustness;

/// <summary>Wire-level misbehaviour after a correct opening handshake, as scripts for <see cref="ScriptedServerOptions.AfterHandshake"/>.</summary>
internal static class Misbehaviours
{
    /// <summary>A close reason a report must show but never interpret: markup, a bell, an ANSI "clear screen", a line break.</summary>
    public const string HostileReason = "<script>alert('x')</script>\u0007\u001b[2J\r\nclosing";

    /// <summary>Reads nothing and sends nothing, forever.</summary>
    public static Task Stall(ScriptedConnection c) => c.StallAsync();

    /// <summary>Waits for the tester's first octets, then aborts with a TCP reset.</summary>
    public static async Task ResetAfterFirstOctets(ScriptedConnection c)
    {
        await c.EnsureAsync(2).ConfigureAwait(false);
        c.ResetTcp();
    }

    /// <summary>An endless stream of small text messages, while whatever the tester sends is read and forgotten.</summary>
    public static Task FloodText(ScriptedConnection c) => FloodAsync(c, ScriptedConnection.EncodeFrame(0x1, "flood"u8), drain: true);

    /// <summary>An endless stream of empty pings, while whatever the tester sends (its pongs) is read and forgotten.</summary>
    public static Task FloodPings(ScriptedConnection c) => FloodAsync(c, ScriptedConnection.EncodeFrame(0x9, []), drain: true);

    /// <summary>An endless stream of empty pings to a tester whose pongs are never read.</summary>
    public static Task FloodPingsWithoutReading(ScriptedConnection c) => FloodAsync(c, ScriptedConnection.EncodeFrame(0x9, []), drain: false);

    /// <summary>A binary frame announcing 2^63-1 octets (64-bit length, top bit clear), then zeros for as long as the tester reads.</summary>
    public static Task EndlessFrame(ScriptedConnection c) => HugeFrameAsync(c, long.MaxValue);

    /// <summary>A binary frame whose 64-bit length has the most significant bit set (RFC 6455 §5.2 forbids it), then zeros.</summary>
    public static Task TopBitLength(ScriptedConnection c) => HugeFrameAsync(c, unchecked((long)0x8000_0000_0000_0010UL));

    /// <summary>Closes at once with 1000 and a hostile (but valid UTF-8) reason, then finishes the closing handshake.</summary>
    public static Task CloseWithHostileReason(ScriptedConnection c) => CloseFirstAsync(c, Encoding.UTF8.GetBytes(HostileReason));

    /// <summary>Closes at once with 1000 and a reason that is not UTF-8 (RFC 6455 §5.5.1 requires it to be).</summary>
    public static Task CloseWithInvalidUtf8Reason(ScriptedConnection c) => CloseFirstAsync(c, [0xFF, 0xFE, (byte)'a']);

    /// <summary>
    /// Stops reading until the tester's writer is stuck in a large message, sends <paramref name="count"/> pings
    /// ("p0", "p1", …) at once, then reads everything and records the payload of every pong.
    /// </summary>
    public static async Task PingsWhileTheTesterCannotWrite(ScriptedConnection c, int count, System.Collections.Concurrent.ConcurrentQueue<string> pongs)
    {
        await c.EnsureAsync(2).ConfigureAwait(false);
        await Task.Delay(300, c.Cancel).ConfigureAwait(false);
        var pings = new List<byte>();
        for (int i = 0; i < count; i++)
        {
            pings.AddRange(ScriptedConnection.EncodeFrame(0x9, Encoding.ASCII.GetBytes($"p{i}")));
        }

        await c.WriteAsync(pings.ToArray()).ConfigureAwait(false);
        await Task.Delay(300, c.Cancel).ConfigureAwait(false);
        string last = $"p{count - 1}";
        while (await c.ReadHeaderAsync().ConfigureAwait(false) is { } header)
        {
            if (header.Opcode != 0xA)
            {
                if (!await c.SkipPayloadAsync(header).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            string payload = Encoding.ASCII.GetString(await c.ReadWholePayloadAsync(header).ConfigureAwait(false) ?? []);
            pongs.Enqueue(payload);
            if (payload == last)
            {
                break;
            }
        }

        c.DropTcp();
    }

    private static async Task FloodAsync(ScriptedConnection c, byte[] frame, bool drain)
    {
        var block = new byte[64 * 1024 / frame.Length * frame.Length];
        for (int i = 0; i < block.Length; i += frame.Length)
        {
            frame.CopyTo(block, i);
        }

        var drainer = drain ? DrainAsync(c) : Task.CompletedTask;
        while (!c.Cancel.IsCancellationRequested)
        {
            await c.WriteAsync(block).ConfigureAwait(false);
            await Task.Yield(); // in-process, a loop that never waits would starve the tester's threads: a real server runs elsewhere
        }

        await drainer.ConfigureAwait(false);
    }

    private static async Task HugeFrameAsync(ScriptedConnection c, long announced)
    {
        var header = new byte[10];
        header[0] = 0x82;
        header[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), unchecked((ulong)announced));
        await c.WriteAsync(header).ConfigureAwait(false);
        var drainer = DrainAsync(c);
        var zeros = new byte[64 * 1024];
        while (!c.Cancel.IsCancellationRequested)
        {
            await c.WriteAsync(zeros).ConfigureAwait(false);
            await Task.Yield();
        }

        await drainer.ConfigureAwait(false);
    }

    private static async Task CloseFirstAsync(ScriptedConnection c, byte[] reason)
    {
        await c.WriteFrameAsync(0x8, ScriptedConnection.ClosePayload(1000, reason)).ConfigureAwait(false);
        await c.CloseTcpAsync().ConfigureAwait(false);
    }

    /// <summary>Reads and forgets until the tester closes (the write loop then fails too).</summary>
    private static async Task DrainAsync(ScriptedConnection c)
    {
        var scratch = new byte[64 * 1024];
        try
        {
            while (await c.Stream.ReadAsync(scratch, c.Cancel).ConfigureAwait(false) > 0)
            {
                await Task.Yield();
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
