using System.Runtime.InteropServices;
using Conformance.Reports.Output;

namespace Conformance.Harness.Cli;

/// <summary>
/// The one place the process hears SIGINT (Ctrl+C) and SIGTERM, for every command: the first of either cancels
/// <see cref="Token"/> and the process goes on, so the command ends its work the way it ends on its own (cases
/// in flight are cut, the results so far and the reports are written whole, no temporary file is left). A second
/// signal ends the process at once, after deleting the report files that were still being written.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public ShutdownSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cancel.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) == 1)
        {
            context.Cancel = true; // not the default (ending the process): the command finishes cleanly
            Console.Error.WriteLine($"{Name(context.Signal)}: stopping; the results so far and the reports are being written (send it again to quit at once)");
            ThreadPool.UnsafeQueueUserWorkItem(_ => CancelQuietly(), null); // not on the signal thread: cancellation runs handlers
            return;
        }

        AtomicFile.DeleteUnfinished();
    }

    private void CancelQuietly()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static string Name(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => "interrupted (SIGINT)",
        PosixSignal.SIGTERM => "terminated (SIGTERM)",
        _ => signal.ToString(),
    };

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }
}
