namespace Conformance.Harness.Transport;

/// <summary>
/// Writes the pieces of tiny chops (spec §0.2: each piece in its own turn, ~10 µs apart; we leave
/// <see cref="Spacing"/>) for every connection from one thread, one piece per connection per tick. A sleep
/// costs far more CPU than the write it spaces (about 16 µs of a core on a virtual machine), so one
/// sleep per tick for all connections, rather than one per piece per connection, is what lets a fuzzing
/// campaign chop hundreds of frames a second. Sends never block the tick: a connection whose socket has no
/// room waits for a later tick (<see cref="TcpConnection.TrySendNow"/>), so only plain TCP on Linux
/// (<see cref="TcpConnection.CanSendNow"/>); elsewhere the writer spaces its own pieces.
/// </summary>
internal static class ChopPacer
{
    /// <summary>The pause between two pieces of one connection.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMicroseconds(100);

    private static readonly object Lock = new();
    private static readonly List<Job> Active = [];
    private static bool _started;

    /// <summary>
    /// Writes <paramref name="octets"/> in pieces of <paramref name="pieceSize"/>, one per tick; returns when
    /// the last has left. <paramref name="sent"/> counts octets as they leave. Throws <see cref="IOException"/>
    /// when the connection fails, <see cref="OperationCanceledException"/> when <paramref name="stop"/> fires.
    /// </summary>
    public static void Write(TcpConnection connection, ReadOnlyMemory<byte> octets, int pieceSize, Action<int> sent, CancellationToken stop)
    {
        var job = new Job(connection, octets, pieceSize, sent, stop);
        lock (Lock)
        {
            Active.Add(job);
            if (!_started)
            {
                _started = true;
                new Thread(Serve) { IsBackground = true, Name = "wsconf chop pacer" }.Start();
            }

            Monitor.Pulse(Lock);
        }

        try
        {
            job.Done.Wait(stop);
        }
        finally
        {
            lock (Lock)
            {
                Active.Remove(job);
            }
        }

        if (job.Failure is { } failure)
        {
            throw new IOException($"writing a chopped frame failed: {failure.Message}", failure);
        }
    }

    private static void Serve()
    {
        var tick = new List<Job>();
        while (true)
        {
            lock (Lock)
            {
                while (Active.Count == 0)
                {
                    Monitor.Wait(Lock);
                }

                tick.AddRange(Active);
            }

            foreach (var job in tick)
            {
                job.WriteNextPiece();
            }

            tick.Clear();
            ShortSleep.For(Spacing);
        }
    }

    private sealed class Job(TcpConnection connection, ReadOnlyMemory<byte> octets, int pieceSize, Action<int> sent, CancellationToken stop)
    {
        private int _offset;
        private int _pieceEnd;

        public ManualResetEventSlim Done { get; } = new();

        public Exception? Failure { get; private set; }

        /// <summary>One piece, or what is left of it when the socket took only part last time (only the pacer thread calls this).</summary>
        public void WriteNextPiece()
        {
            if (Done.IsSet || stop.IsCancellationRequested)
            {
                return;
            }

            if (_offset == _pieceEnd)
            {
                _pieceEnd = Math.Min(octets.Length, _offset + pieceSize);
            }

            try
            {
                int written = connection.TrySendNow(octets.Span[_offset.._pieceEnd]);
                _offset += written;
                if (written > 0)
                {
                    sent(written);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                Failure = e;
                Done.Set();
                return;
            }

            if (_offset == octets.Length)
            {
                Done.Set();
            }
        }
    }
}
