using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>One updating status line on stderr, shown only when stderr is a terminal.</summary>
internal sealed class ProgressDisplay(int total)
{
    private readonly bool _enabled = !Console.IsErrorRedirected;
    private int _done;
    private int _failed;

    public void Finished(CaseResult result)
    {
        int done = Interlocked.Increment(ref _done);
        if (result.Behavior == Behavior.Failed || result.CloseBehavior == CloseBehavior.Failed)
        {
            Interlocked.Increment(ref _failed);
        }

        if (_enabled)
        {
            lock (this)
            {
                Console.Error.Write($"\r[{done,4}/{total}] {Volatile.Read(ref _failed)} failed · last {result.CaseId,-8} {result.Behavior.Label(),-13} {result.CloseBehavior.Label(),-16}");
            }
        }
    }

    public void Done()
    {
        if (_enabled && _done > 0)
        {
            Console.Error.WriteLine();
        }
    }
}
