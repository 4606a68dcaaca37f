using Conformance.Harness.Running;
using NUnit.Framework;

namespace Conformance.Tests.Running;

/// <summary>
/// The <see cref="WriteQueue"/>'s inline writes: an item written by the caller whose octets the socket did not
/// take at once (a full send buffer) leaves them to the writer thread, and nothing is written inline until then.
/// </summary>
public sealed class WriteQueueTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Test]
    public async Task ItemsAreWrittenInlineWhileTheSocketTakesEverything()
    {
        var log = new Log();
        var queue = log.Queue(leaveOctetsOnce: false);

        queue.Enqueue(Item(1));
        queue.Enqueue(Item(2));
        queue.Complete();
        await queue.Finished.WaitAsync(Bound);

        Assert.That(log.Lines, Is.EqualTo(new[] { "write 1 inline", "flush now", "write 2 inline", "flush now" }));
    }

    [Test]
    public async Task OctetsLeftByAnInlineWriteGoToTheWriterAndLaterItemsWaitForIt()
    {
        var log = new Log();
        var queue = log.Queue(leaveOctetsOnce: true);

        queue.Enqueue(Item(1));
        queue.Enqueue(Item(2));
        log.WriterMayFlush.Set();
        queue.Complete();
        await queue.Finished.WaitAsync(Bound);

        Assert.That(log.Lines.Take(2), Is.EqualTo(new[] { "write 1 inline", "flush now (octets left)" }));
        Assert.That(log.Lines, Does.Contain("write 2 by the writer"), "no inline write while octets are owed");
        Assert.That(log.Lines.Last(), Is.EqualTo("flush by the writer"), "the writer flushes what was left");
    }

    private static Outgoing Item(byte tag) => new Outgoing.Control(1, [tag]);

    private sealed class Log
    {
        private readonly List<string> _lines = [];
        private readonly int _caller = Environment.CurrentManagedThreadId;
        private bool _leftOnce;

        /// <summary>Holds the writer's flush, so the owed octets are still owed when the next item comes.</summary>
        public ManualResetEventSlim WriterMayFlush { get; } = new(false);

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public WriteQueue Queue(bool leaveOctetsOnce) => new(
            item => Add($"write {((Outgoing.Control)item).Payload[0]} {Where()}"),
            () =>
            {
                WriterMayFlush.Wait(Bound);
                Add("flush by the writer");
            },
            () =>
            {
                bool leave = leaveOctetsOnce && !_leftOnce;
                _leftOnce |= leave;
                Add(leave ? "flush now (octets left)" : "flush now");
                return !leave;
            },
            _ => true,
            _ => { },
            () => { });

        private string Where() => Environment.CurrentManagedThreadId == _caller ? "inline" : "by the writer";

        private void Add(string line)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
