using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Compression;

/// <summary>
/// The role-neutral half of compression, played with the tester as the server (the client-testing role,
/// whose runner lives on another branch): a minimal accept loop answers with
/// <see cref="PerMessageDeflate.Accept"/> by the case's rule and hands the agreement to the session, and
/// System.Net.WebSockets' ClientWebSocket (with DangerousDeflateOptions) is the client under test.
/// </summary>
public sealed class ServerRoleDeflateTests
{
    [TestCase("12.1.2", Behavior.Ok)]
    [TestCase("12.2.5", Behavior.Ok)]
    [TestCase("13.1.3", Behavior.Ok)]
    [TestCase("13.3.2", Behavior.Ok)]   // the tester answers client_max_window_bits=9
    [TestCase("13.7.1", Behavior.Ok)]
    [TestCase("14.2.1", Behavior.Ok)]   // the client compresses within 2^9, checked distance by distance
    [TestCase("14.3.1", Behavior.Ok)]   // the client resets its context per message
    [TestCase("14.4.1", Behavior.Ok)]
    [TestCase("14.4.11", Behavior.Ok)]
    [TestCase("14.5.5", Behavior.Ok)]
    [CancelAfter(60_000)]
    public async Task A_client_with_deflate_gets_the_verdict_of_the_case(string id, Behavior expected)
    {
        var @case = CaseCatalogue.Find(id)!;
        var (verdicts, seen) = await PlayAsServerAsync(@case);

        Assert.That(seen.Deflate!.Agreement, Is.Not.Null, seen.Deflate.Negotiation);
        Assert.That(verdicts.Behavior, Is.EqualTo(expected), $"{verdicts.BehaviorReason} | {verdicts.Close}: {verdicts.CloseReason} | {seen.Deflate.Negotiation}");
        TestContext.Out.WriteLine($"{id}: {verdicts.Behavior.Label()} / {verdicts.Close.Label()} — {seen.Deflate.Negotiation}");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Without_an_agreement_the_server_role_is_UNIMPLEMENTED_too()
    {
        var @case = CaseCatalogue.Find("13.1.1")!;
        var (verdicts, _) = await PlayAsServerAsync(@case, clientOffersDeflate: false);

        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Unimplemented, CloseBehavior.Ok)), verdicts.BehaviorReason);
    }

    private static async Task<(Verdicts, Observations)> PlayAsServerAsync(Case @case, bool clientOffersDeflate = true)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = new Uri($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var client = Task.Run(() => EchoClientAsync(url, clientOffersDeflate, stop.Token));

        var socket = await listener.AcceptSocketAsync(stop.Token);
        socket.NoDelay = true;
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int headLength;
        while ((headLength = ClientHandshake.HeadLength(received.GetBuffer().AsSpan(0, (int)received.Length))) < 0)
        {
            int read = await socket.ReceiveAsync(buffer, stop.Token);
            Assert.That(read, Is.GreaterThan(0), "the client closed during its handshake");
            received.Write(buffer, 0, read);
        }

        string request = Encoding.ASCII.GetString(received.GetBuffer(), 0, headLength);
        byte[] leftover = received.GetBuffer().AsSpan(headLength, (int)received.Length - headLength).ToArray();
        var head = HttpHead.Parse(request);
        var negotiation = PerMessageDeflate.Accept(head.Get("Sec-WebSocket-Extensions"), @case.Deflate!.Accept!);
        string response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                          $"Sec-WebSocket-Accept: {ClientHandshake.AcceptFor(head.Get("Sec-WebSocket-Key")!.Trim())}\r\n" +
                          (negotiation.Response is { } r ? $"Sec-WebSocket-Extensions: {r}\r\n" : "") + "\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(response), stop.Token);

        var clock = Stopwatch.StartNew();
        var session = new CaseSession(@case, testerIsServer: true, TcpConnection.FromAccepted(socket), new Timers(), new WireRecorder(clock, false, null), clock);
        session.UseDeflate(negotiation.Agreement, $"the client offered '{head.Get("Sec-WebSocket-Extensions")}'; {negotiation.Summary}");
        var seen = await session.RunAsync(leftover, request, response, DateTimeOffset.UtcNow, stop.Token);
        await stop.CancelAsync();
        await Task.WhenAny(client, Task.Delay(2000));
        return (Judge.Decide(@case, seen), seen);
    }

    /// <summary>An echo client on ClientWebSocket: every message back with its type, compressed when agreed.</summary>
    private static async Task EchoClientAsync(Uri url, bool deflate, CancellationToken cancel)
    {
        using var socket = new ClientWebSocket();
        if (deflate)
        {
            socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        }

        try
        {
            await socket.ConnectAsync(url, cancel);
            var message = new MemoryStream();
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancel);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.Empty, null, cancel);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    await socket.SendAsync(message.GetBuffer().AsMemory(0, (int)message.Length), result.MessageType, endOfMessage: true, cancel);
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The tester failed the connection or ended the case.
        }
    }
}
