using Conformance.Cases;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Conformance.Tests.Running;

/// <summary>
/// A run's memory does not grow with the number of cases (issue 15 item 3): once a case's JSON file is written,
/// only its summary stays, in both roles. Counted with the managed heap after a full collection, not timed.
/// </summary>
[NonParallelizable]
public sealed class RetainedMemoryTests
{
    private const int WireEntries = 300;
    private const int Early = 10;
    private const int Late = 90;

    private string _dir = "";

    [SetUp]
    public void Folder() => _dir = Directory.CreateTempSubdirectory("wsconf-memory-").FullName;

    [TearDown]
    public void Delete() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task TestingServersKeepsASummaryPerCase()
    {
        var plan = RunPlan.ForServer(new ServerTarget("big", new Uri("ws://127.0.0.1:1/")), Cases());
        var recorder = RunRecorder.Open(plan, new RunFacts([], "(test)"), _dir, new ReportSettings(), NullLogger.Instance);
        long oneResult = SizeOfOne();
        var heap = new Dictionary<int, long>();
        int done = 0;
        var results = await Scheduler.RunAsync(plan.Items(), 1,
            (item, _) => Task.FromResult(new PlayedCase(Big(item.Agent, item.Case.Id.Text, item.Index), Opening.Completed)),
            result =>
            {
                recorder.Record(result);
                if (++done is Early or Late)
                {
                    heap[done] = Heap();
                }
            },
            null, CancellationToken.None, summariesOnly: true);

        AssertFlat(heap, oneResult);
        Assert.That(results, Has.Count.EqualTo(Late).And.All.Matches<CaseResult>(r => r!.IsSummary));

        // The report still has every detail: the pages read them back from the case files.
        Assert.That(recorder.Finish(results), Is.EqualTo(ExitCodes.Passed));
        string page = File.ReadAllText(Path.Combine(_dir, ReportNames.CaseFile("big", results[^1].CaseId, "html")));
        Assert.That(page, Does.Contain($"{results[^1].CaseId} entry 299 "));
        GC.KeepAlive(results);
    }

    [Test]
    public void TestingClientsKeepsASummaryPerCase()
    {
        var plan = RunPlan.ForClients(Cases());
        var recorder = RunRecorder.Open(plan, new RunFacts([], "(test)"), _dir, new ReportSettings(), NullLogger.Instance);
        var board = new ResultsBoard(summariesOnly: true);
        long oneResult = SizeOfOne();
        var heap = new Dictionary<int, long>();
        for (int i = 1; i <= Late; i++)
        {
            board.Post(Big("client", plan.Cases[i - 1].Id.Text, i), recorder.Record);
            if (i is Early or Late)
            {
                heap[i] = Heap();
            }
        }

        AssertFlat(heap, oneResult);
        Assert.That(board.Results, Has.All.Matches<CaseResult>(r => r!.IsSummary));
        GC.KeepAlive(board);
    }

    private static IReadOnlyList<Conformance.Cases.Scripting.Case> Cases() => [.. CaseSelection.Select(Catalogue.All, ["12.*", "13.*"], []).Take(Late)];

    /// <summary>The cases between <see cref="Early"/> and <see cref="Late"/> together keep less than a tenth of one full result each.</summary>
    private static void AssertFlat(Dictionary<int, long> heap, long oneResult)
    {
        long grown = heap[Late] - heap[Early];
        long full = (Late - Early) * oneResult;
        TestContext.Out.WriteLine($"one full result {oneResult / 1024} KiB; {Late - Early} more cases grew the heap by {grown / 1024} KiB ({full / 1024} KiB if kept whole)");
        Assert.That(oneResult, Is.GreaterThan(200 * 1024), "the synthetic result is as big as a 12.x case's");
        Assert.That(grown, Is.LessThan(full / 10));
    }

    private static long SizeOfOne()
    {
        long before = Heap();
        var one = Big("size", "12.1.1", 1);
        long after = Heap();
        GC.KeepAlive(one);
        return after - before;
    }

    private static long Heap() => GC.GetTotalMemory(forceFullCollection: true);

    /// <summary>A result the size of a 12.x case's: a full wire log of distinct strings and many received events.</summary>
    private static CaseResult Big(string agent, string caseId, int index)
    {
        var log = new WireEntry[WireEntries];
        for (int i = 0; i < log.Length; i++)
        {
            string hex = Convert.ToHexStringLower(BitConverter.GetBytes(((long)index << 32) | (uint)i)).PadRight(256, 'a');
            log[i] = new WireEntry(i, WireDirection.Rx, new WireFrame
            {
                Opcode = 2,
                OpcodeName = "BINARY",
                Fin = true,
                Rsv = 4,
                Masked = false,
                PayloadLength = 1 << 17,
                PayloadText = $"{caseId} entry {i} " + new string('x', 100),
                PayloadHex = hex,
                PayloadCut = true,
                RawHex = "c27e" + hex,
            }, null);
        }

        return new CaseResult
        {
            Agent = agent,
            CaseId = caseId,
            CaseIndex = index,
            Category = 12,
            CategoryName = "WebSocket Compression",
            Description = "Echo.",
            Expectation = "Echoed.",
            Behavior = Behavior.Ok,
            BehaviorReason = "Actual events match at least one expected.",
            CloseBehavior = CloseBehavior.Ok,
            CloseReason = "Connection was properly closed.",
            Started = DateTimeOffset.UnixEpoch,
            DurationMs = 100,
            Received = [.. Enumerable.Range(0, 1000).Select(i => $"message {index}.{i} of 131072 octets")],
            HttpRequest = "GET / HTTP/1.1\r\n\r\n",
            HttpResponse = "HTTP/1.1 101 Switching Protocols\r\n\r\n",
            WireLog = log,
        };
    }
}
