using System.Text.Json;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using Conformance.Tests.Reports;
using Conformance.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using static Conformance.Tests.Hostile.HostileClient;

namespace Conformance.Tests.Hostile;

/// <summary>
/// Issue 13.3 and 13.5: many agents and agents with hostile names. A run accepts at most --max-agents agents and
/// refuses the next with a 429 that says why; /updateReports renders one report at a time however many ask at once;
/// a thousand agents make a report whose size follows what failed; names that clean alike keep their own files.
/// </summary>
public sealed class AgentsAndReportsTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void Fresh() => _folder = new TempFolder("wsconf-hostile");

    [TearDown]
    public void Clean() => _folder.Dispose();

    [Test]
    public async Task One_agent_past_the_cap_is_refused_with_429_and_known_agents_go_on()
    {
        await using var server = Start(tune: o => o with { MaxAgents = 2 });

        string first = await RunCaseAsync(server.Port, 1, "a");
        string second = await RunCaseAsync(server.Port, 1, "b");
        string third = await RunCaseAsync(server.Port, 1, "c");
        string again = await RunCaseAsync(server.Port, 2, "a");

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.StartWith("HTTP/1.1 101"));
            Assert.That(second, Does.StartWith("HTTP/1.1 101"));
            Assert.That(third, Does.StartWith("HTTP/1.1 429"));
            Assert.That(again, Does.StartWith("HTTP/1.1 101"), "an agent already in the run is not counted twice");
            Assert.That(server.Agents, Is.EqualTo(new[] { "a", "b" }));
        });
        Assert.That(third, Does.Contain("at most 2 agents (--max-agents)"));
    }

    [Test]
    public void The_default_agent_cap_is_the_command_line_default() =>
        Assert.That(new ClientTestOptions { Plan = RunPlan.ForClients(Framing) }.MaxAgents, Is.EqualTo(ClientTestOptions.DefaultMaxAgents).And.InRange(10, 1000));

    [Test]
    public async Task Concurrent_report_updates_render_one_at_a_time_and_coalesce()
    {
        const int Requests = 8;
        int running = 0, most = 0, asked = 0;
        using var render = new CoalescingRender(() =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            SpinWait.SpinUntil(() => Volatile.Read(ref asked) == Requests, TimeSpan.FromSeconds(10)); // all of them arrive during a render
            Thread.Sleep(100);
            Interlocked.Decrement(ref running);
        });

        await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Task.Run(() =>
        {
            Interlocked.Increment(ref asked);
            return render.RequestAsync();
        })));

        Assert.That(most, Is.EqualTo(1), "never two renders at once");
        Assert.That(render.Renders, Is.InRange(1, 2), "eight requests at once cost at most two renders");
    }

    [Test]
    public async Task A_thousand_agents_and_four_concurrent_updates_make_a_report_that_grows_with_what_failed()
    {
        const int Agents = 1000;
        string outDir = Path.Combine(_folder.Path, "out");
        var plan = RunPlan.ForClients(Framing);
        var recorder = RunRecorder.Open(plan, new RunFacts([], "test-client"), outDir, new ReportSettings(), NullLogger.Instance);
        var board = new ResultsBoard();
        for (int a = 0; a < Agents; a++)
        {
            var result = SampleRun.Case($"agent {a:0000}", "1.1.1", 1, "Framing", 5, 1000) with
            {
                Behavior = a % 100 == 0 ? Behavior.Failed : Behavior.Ok,
            };
            board.Post(result, recorder.Record);
        }

        long before = GC.GetTotalMemory(forceFullCollection: true);
        int asked = 0;
        using var render = new CoalescingRender(() =>
        {
            // The four updates are concurrent: all of them arrive while the first render runs (a loaded machine may
            // otherwise start the thread-pool tasks one render apart, which is not what this test is about).
            SpinWait.SpinUntil(() => Volatile.Read(ref asked) == 4, TimeSpan.FromSeconds(10));
            recorder.UpdateReports(board.Results, board.Agents);
        });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            Interlocked.Increment(ref asked);
            return render.RequestAsync();
        })));
        var heap = GC.GetGCMemoryInfo();
        long after = GC.GetTotalMemory(forceFullCollection: true);

        long index = new FileInfo(Path.Combine(outDir, "index.html")).Length;
        long failures = new FileInfo(Path.Combine(outDir, "failures.html")).Length;
        TestContext.Out.WriteLine($"{render.Renders} render(s); index.html {index / 1e3:0} kB, failures.html {failures / 1e3:0} kB; heap {heap.HeapSizeBytes / 1e6:0} MB, retained {(after - before) / 1e6:F1} MB");
        Assert.Multiple(() =>
        {
            Assert.That(render.Renders, Is.InRange(1, 2));
            Assert.That(index, Is.LessThan(500_000), "58.6 MB before the fix");
            Assert.That(failures, Is.LessThan(500_000), "143 MB before the fix; ten agents failed");
            Assert.That(after - before, Is.LessThan(50L * 1024 * 1024), "nothing of the renders is kept");
            Assert.That(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories), Is.Empty);
        });
    }

    [Test]
    public async Task Agent_names_that_clean_alike_keep_their_own_files_and_index_json_points_at_them()
    {
        string outDir = Path.Combine(_folder.Path, "out");
        var folder = new ResultsFolder(outDir);
        string[] agents = ["TMP PWNED", "../../tmp/pwned", ".", "..", "!!!", "***"];
        await using (var server = Start(finished: folder.Add))
        {
            foreach (string agent in agents)
            {
                Assert.That(await RunCaseAsync(server.Port, 1, agent), Does.StartWith("HTTP/1.1 101"), agent);
            }

            await server.WaitForRunningCasesAsync(TimeSpan.FromSeconds(10));
        }

        using var index = JsonDocument.Parse(File.ReadAllBytes(folder.IndexPath));
        var files = agents.Select(a => index.RootElement.GetProperty(a).GetProperty("1.1.1").GetProperty("reportfile").GetString()!).ToList();
        Assert.That(files, Is.Unique);
        foreach (var (agent, file) in agents.Zip(files))
        {
            Assert.That(Path.GetDirectoryName(file), Is.Empty, $"{file} stays in the results folder");
            using var record = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, file)));
            Assert.That(record.RootElement.GetProperty("agent").GetString(), Is.EqualTo(agent), $"{file} holds {agent}'s run");
        }

        Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName), Is.EquivalentTo(files.Append("index.json")), "no stale, shared or temporary files");
        Assert.That(File.Exists(Path.Combine(_folder.Path, "..", "..", "tmp", "pwned_case_1_1_1.json")), Is.False);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

}
