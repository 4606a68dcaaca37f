using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Conformance.Cases;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using Conformance.Tests.Broken;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Robustness;

/// <summary>Running a misbehaving server and measuring the run: time, memory, the log.</summary>
public sealed partial class MisbehavingServerTests
{
    // ---- running and measuring ----

    private static async Task<Run> RunAsync(ScriptedServerOptions options, string[] ids, Timers timers, int parallel = 1)
    {
        var server = ScriptedServer.Start(options);
        try
        {
            var cases = ids.Select(id => CaseCatalogue.Find(id) ?? throw new ArgumentException(id)).ToArray();
            var finished = new ConcurrentQueue<CaseResult>();
            var log = new ConcurrentQueue<string>();
            var serverTest = new ServerTestOptions { Plan = RunPlan.ForServers([server.Target()], cases), Parallel = parallel, Timers = timers };
            using var memory = MemoryWatch.Start();
            var clock = Stopwatch.StartNew();
            using var abort = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var results = await ServerTesting.RunAsync(serverTest, finished.Enqueue, log.Enqueue, abort.Token).ConfigureAwait(false);
            clock.Stop();
            var (managed, workingSet) = await memory.StopAsync().ConfigureAwait(false);
            Assert.Multiple(() =>
            {
                Assert.That(finished, Has.Count.EqualTo(results.Count), "every result was handed on as it finished");
                foreach (var r in results)
                {
                    // The harness's own promise (Watchdog): no case outlives its scripted timers plus the closing timeouts and a margin.
                    var watchdog = timers.Scaled(Watchdog.For(cases.First(c => c.Id.Text == r.CaseId))) + CaseSlack;
                    Assert.That(r.DurationMs, Is.LessThan(watchdog.TotalMilliseconds), $"{r.CaseId} ran {r.DurationMs:F0} ms; its watchdog is {watchdog.TotalMilliseconds:F0} ms with slack");
                }
            });
            return new Run(server, results, clock.Elapsed, managed, workingSet, log.ToArray());
        }
        finally
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed record Run(ScriptedServer Server, IReadOnlyList<CaseResult> Results, TimeSpan Elapsed, long PeakManagedGrowth, long PeakWorkingSetGrowth, string[] Log)
    {
        public void AssertWithin(TimeSpan bound) =>
            Assert.That(Elapsed, Is.LessThan(bound), $"the run took {Elapsed.TotalSeconds:F2} s; the timers allow {bound.TotalSeconds:F2} s");

        public void AssertMemoryBelow(long bound) => Assert.Multiple(() =>
        {
            Assert.That(PeakManagedGrowth, Is.LessThan(bound), $"managed heap grew by {PeakManagedGrowth / 1048576} MiB");
            Assert.That(PeakWorkingSetGrowth, Is.LessThan(bound), $"working set grew by {PeakWorkingSetGrowth / 1048576} MiB");
        });

        public void AssertAllHandshakesFailed(string reason) => Assert.Multiple(() =>
        {
            Assert.That(Results, Has.Count.EqualTo(3), "the run went on to every case");
            foreach (var r in Results)
            {
                Assert.That((r.Behavior, r.CloseBehavior), Is.EqualTo((Behavior.Failed, CloseBehavior.Failed)), Runs.Describe(r));
                Assert.That(r.BehaviorReason, Does.Contain("opening handshake failed").And.Contain(reason), r.CaseId);
                Assert.That(r.CloseReason, Does.Contain("opening handshake never completed"), r.CaseId);
            }

            Assert.That(Server.Errors, Is.Empty, "the scripted server itself threw");
        });

        public void AssertVerdicts(params (string Id, Behavior Behavior, CloseBehavior Close)[] expected) => Assert.Multiple(() =>
        {
            Assert.That(Results.Select(r => r.CaseId), Is.EqualTo(expected.Select(e => e.Id)), "every case has a result, in order");
            foreach (var (id, behavior, close) in expected)
            {
                if (Results.FirstOrDefault(r => r.CaseId == id) is { } r)
                {
                    Assert.That((r.Behavior, r.CloseBehavior), Is.EqualTo((behavior, close)), Runs.Describe(r));
                }
            }

            Assert.That(Server.Handshakes, Is.EqualTo(expected.Length), "each case had its own connection");
            Assert.That(Server.Errors, Is.Empty, "the scripted server itself threw");
        });
    }

    /// <summary>Samples the managed heap and the working set while a run goes on; reports the peak growth of each.</summary>
    private sealed class MemoryWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly long _managedBase;
        private readonly long _workingSetBase;
        private readonly Task _sampler;
        private long _managedPeak;
        private long _workingSetPeak;

        private MemoryWatch()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            _managedBase = GC.GetTotalMemory(forceFullCollection: true);
            _workingSetBase = WorkingSet();
            _managedPeak = _managedBase;
            _workingSetPeak = _workingSetBase;
            _sampler = Task.Run(SampleAsync);
        }

        public static MemoryWatch Start() => new();

        public async Task<(long Managed, long WorkingSet)> StopAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _sampler.ConfigureAwait(false);
            Sample();
            return (_managedPeak - _managedBase, _workingSetPeak - _workingSetBase);
        }

        public void Dispose() => _stop.Dispose();

        private async Task SampleAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                try
                {
                    await Task.Delay(10, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        private void Sample()
        {
            _managedPeak = Math.Max(_managedPeak, GC.GetTotalMemory(forceFullCollection: false));
            _workingSetPeak = Math.Max(_workingSetPeak, WorkingSet());
        }

        private static long WorkingSet()
        {
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }
    }
}
