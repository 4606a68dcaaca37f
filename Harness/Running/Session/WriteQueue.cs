using Conformance.Harness.Transport;

namespace Conformance.Harness.Running;

/// <summary>
/// Who writes, and in what order, for the <see cref="FrameSender"/>: items are written one at a time, in the
/// order they were queued, by whoever holds the write lock. When nothing is queued and nobody is writing, the
/// caller writes a small item itself (<paramref name="writeInline"/> decides, e.g. after checking the socket
/// has room): a round trip then costs no thread switch. Everything else goes to a writer (a <see cref="BlockingThreads"/> job),
/// started on first use, with blocking writes (a peer that stops reading blocks that thread, never the reader).
/// </summary>
/// <param name="write">Writes one item (under the write lock); exceptions end the writing quietly.</param>
/// <param name="idle">Runs under the write lock once the queue is drained (flushes coalesced octets).</param>
/// <param name="idleInline">
/// Runs under the write lock after an item written by the caller: flushes coalesced octets without waiting;
/// false when some are left, which the writer then flushes before anything else is written.
/// </param>
/// <param name="writeInline">Whether the caller may write this item itself now (the queue is empty and nobody writes).</param>
/// <param name="discard">Runs for every item that will never be written (a flush waiter must not wait forever).</param>
internal sealed class WriteQueue(Action<Outgoing> write, Action idle, Func<bool> idleInline, Func<Outgoing, bool> writeInline, Action<Outgoing> discard, Action finished)
{
    private readonly object _queueLock = new();
    private readonly object _writeLock = new();
    private readonly Queue<Outgoing> _queue = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _writerStarted;
    private bool _flushOwed;
    private bool _completed;
    private bool _broken;

    /// <summary>Completes once <see cref="Complete"/> was called and the last write has ended.</summary>
    public Task Finished => _done.Task;

    /// <summary>Queues an item (or writes it at once); false when the queue is already complete.</summary>
    public bool Enqueue(Outgoing item)
    {
        if (Monitor.TryEnter(_writeLock))
        {
            try
            {
                bool idleNow;
                lock (_queueLock)
                {
                    if (_completed)
                    {
                        return false;
                    }

                    idleNow = _queue.Count == 0 && !_flushOwed;
                }

                if (idleNow && !_broken && writeInline(item))
                {
                    Write(item);
                    if (!IdleInline())
                    {
                        lock (_queueLock)
                        {
                            _flushOwed = true;
                            WakeWriter();
                        }
                    }

                    return true;
                }
            }
            finally
            {
                Monitor.Exit(_writeLock);
            }
        }

        lock (_queueLock)
        {
            if (_completed)
            {
                return false;
            }

            _queue.Enqueue(item);
            WakeWriter();
        }

        return true;
    }

    private void WakeWriter()
    {
        if (!_writerStarted)
        {
            _writerStarted = true;
            BlockingThreads.Start(WriteLoop);
        }
        else
        {
            Monitor.Pulse(_queueLock);
        }
    }

    /// <summary>No more items: the writer ends once the queue is drained.</summary>
    public void Complete()
    {
        bool noThread;
        lock (_queueLock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            noThread = !_writerStarted;
            Monitor.Pulse(_queueLock);
        }

        if (noThread)
        {
            Finish();
        }
    }

    private void WriteLoop()
    {
        try
        {
            while (true)
            {
                lock (_queueLock)
                {
                    while (_queue.Count == 0 && !_flushOwed && !_completed)
                    {
                        Monitor.Wait(_queueLock);
                    }

                    if (_queue.Count == 0 && !_flushOwed)
                    {
                        return;
                    }
                }

                lock (_writeLock)
                {
                    while (true)
                    {
                        Outgoing? item;
                        lock (_queueLock)
                        {
                            if (!_queue.TryDequeue(out item))
                            {
                                break;
                            }
                        }

                        Write(item);
                    }

                    Idle();
                    lock (_queueLock)
                    {
                        _flushOwed = false;
                    }
                }
            }
        }
        finally
        {
            Finish();
        }
    }

    private void Write(Outgoing item)
    {
        if (_broken)
        {
            discard(item);
            return;
        }

        try
        {
            write(item);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            _broken = true; // the connection is gone: the reader reports it; nothing more is written
            discard(item);
        }
    }

    private void Idle()
    {
        if (_broken)
        {
            return;
        }

        try
        {
            idle();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            _broken = true;
        }
    }

    /// <returns>False when coalesced octets are left for the writer.</returns>
    private bool IdleInline()
    {
        if (_broken)
        {
            return true;
        }

        try
        {
            return idleInline();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            _broken = true;
            return true;
        }
    }

    private void Finish()
    {
        lock (_queueLock)
        {
            _completed = true;
            while (_queue.TryDequeue(out var left))
            {
                discard(left);
            }
        }

        lock (_writeLock)
        {
            finished();
        }

        _done.TrySetResult();
    }
}
