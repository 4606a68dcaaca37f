using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Robustness;

/// <summary>
/// Only a dead target stops a run (issue 10 item 10): connect failures and handshakes without an answer count
/// towards giving a target up after <see cref="Scheduler.GiveUpAfter"/> in a row; an HTTP refusal is the case's
/// verdict, and the run goes on.
/// </summary>
[TestFixture]
[Integration]
public sealed class GiveUpTests
{
    private static readonly Timers Quick = new() { Scale = 0.2, OpenHandshake = TimeSpan.FromSeconds(2) };

    private static IReadOnlyList<Case> Cases() =>
        CaseSelection.Select(CaseCatalogue.All, ["1.*"], []).Take(Scheduler.GiveUpAfter + 4).ToArray();

    [Test]
    public async Task A_server_that_answers_400_to_every_handshake_is_played_to_the_end()
    {
        await using var server = BadRequestServer.Start();
        var cases = Cases();
        var (results, log) = await RunAsync(new ServerTarget("refuses-with-400", server.Url), cases);

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.CaseId), Is.EqualTo(cases.Select(c => c.Id.Text)), "every case is played: the target is alive and answering");
            Assert.That(results.Select(r => r.Behavior), Is.All.EqualTo(Behavior.Failed));
            Assert.That(results.Select(r => r.BehaviorReason), Is.All.Contain("400 Bad Request"), "the refusal is each case's verdict");
            Assert.That(log, Has.None.Contains("in a row failed"), "not given up");
            Assert.That(server.Requests, Is.EqualTo(cases.Count));
        });
    }

    [Test]
    public async Task A_target_that_refuses_TCP_is_given_up_after_five_cases()
    {
        var cases = Cases();
        var (results, log) = await RunAsync(new ServerTarget("nobody-listens", new Uri($"ws://127.0.0.1:{ClosedPort()}/")), cases);

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.CaseId), Is.EqualTo(cases.Take(Scheduler.GiveUpAfter).Select(c => c.Id.Text)), "the cases after the give-up are not run");
            Assert.That(results.Select(r => r.BehaviorReason), Is.All.Contain("connection refused"));
            Assert.That(log, Has.Some.Contains($"{Scheduler.GiveUpAfter} opening handshakes in a row failed"));
        });
    }

    private static async Task<(IReadOnlyList<CaseResult> Results, string[] Log)> RunAsync(ServerTarget target, IReadOnlyList<Case> cases)
    {
        var log = new ConcurrentQueue<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var options = new ServerTestOptions { Plan = RunPlan.ForServer(target, cases), Parallel = 1, Timers = Quick };
        var results = await ServerTesting.RunAsync(options, _ => { }, log.Enqueue, limit.Token);
        return (results, log.ToArray());
    }

    /// <summary>A port nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Reads each request head and answers <c>400 Bad Request</c>, as nhooyr.io/websocket 1.8.7 does to offers it refuses.</summary>
    private sealed class BadRequestServer : IAsyncDisposable
    {
        private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;
        private int _requests;

        public Uri Url => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public int Requests => Volatile.Read(ref _requests);

        public static BadRequestServer Start()
        {
            var server = new BadRequestServer();
            server._listener.Start();
            server._loop = server.AcceptAsync();
            return server;
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                var head = new List<byte>();
                var buffer = new byte[1024];
                while (!Encoding.ASCII.GetString(head.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    int read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    head.AddRange(buffer.AsSpan(0, read).ToArray());
                }

                Interlocked.Increment(ref _requests);
                await stream.WriteAsync(Response, _stop.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }

            _stop.Dispose();
        }
    }
}
