namespace Conformance.Harness.Transport;

/// <summary>
/// Threads for blocking socket work: connect and handshake, a session's read loop, its writer. Such work must not
/// sit on thread-pool threads (other cases' timers would wait behind it), and a thread of its own per job costs a
/// thread start each time (a fuzzing campaign runs hundreds of cases a second, three jobs each). Idle threads wait
/// for the next job and end after <see cref="IdleLifetime"/> without one.
/// </summary>
internal static class BlockingThreads
{
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(10);
    private static readonly object Lock = new();
    private static readonly Queue<Action> Jobs = new();
    private static int _waiting;
    private static int _woken;

    /// <summary>Runs <paramref name="work"/> on a blocking thread; the task completes (on the thread pool) with its result.</summary>
    public static Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Start(() =>
        {
            try
            {
                done.TrySetResult(work());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        });
        return done.Task;
    }

    /// <summary>Starts <paramref name="work"/> on a blocking thread (it must not throw).</summary>
    public static void Start(Action work)
    {
        lock (Lock)
        {
            Jobs.Enqueue(work);
            if (_waiting > _woken)
            {
                _woken++;
                Monitor.Pulse(Lock);
                return;
            }
        }

        new Thread(Serve) { IsBackground = true, Name = "wsconf I/O" }.Start();
    }

    private static void Serve()
    {
        while (true)
        {
            Action? job;
            lock (Lock)
            {
                while (!Jobs.TryDequeue(out job))
                {
                    _waiting++;
                    bool woken = Monitor.Wait(Lock, IdleLifetime);
                    _waiting--;
                    if (woken)
                    {
                        _woken--;
                    }
                    else if (Jobs.Count == 0)
                    {
                        return;
                    }
                }
            }

            job();
        }
    }
}
