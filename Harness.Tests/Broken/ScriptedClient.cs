using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Conformance.Harness.Targets;

namespace Conformance.Tests.Broken;

/// <summary>
/// The scripted WebSocket client: an Autobahn client driver (<c>/getCaseCount</c>, <c>/runCase?case=N&amp;agent=A</c>
/// for every N, <c>/updateReports</c>) whose case connections run the <see cref="EchoEndpoint"/> as a client
/// (<see cref="ScriptedServerOptions.AsClient"/>): correct by default, or with exactly one flaw of
/// <see cref="ScriptedServerOptions"/>. Its frames and handshake share no code with the harness; the control
/// URLs are read with .NET's ClientWebSocket.
/// </summary>
internal static class ScriptedClient
{
    /// <summary>One driver round; returns the number of cases it played.</summary>
    /// <param name="shutdown">Ask the server to stop after the reports (<c>shutdownOnComplete</c>).</param>
    public static async Task<int> RunAsync(Uri server, ScriptedServerOptions flaws, string agent, int parallel, CancellationToken cancel, bool shutdown = false)
    {
        var answer = await ClientWebSocketDriver.ReadMessagesAsync(Endpoint(server, "/getCaseCount"), cancel);
        int count = int.Parse(answer.Single(), CultureInfo.InvariantCulture);
        string name = Uri.EscapeDataString(agent);
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancel };
        await Parallel.ForEachAsync(Enumerable.Range(1, count), options, async (n, token) => await RunCaseAsync(server, $"/runCase?case={n}&agent={name}", flaws, token));
        await ClientWebSocketDriver.ReadMessagesAsync(Endpoint(server, $"/updateReports?agent={name}" + (shutdown ? "&shutdownOnComplete=true" : "")), cancel);
        return count;
    }

    /// <summary>One case: the opening handshake (RFC 6455 §4.1), then the echo endpoint as a client until the connection ends.</summary>
    public static async Task RunCaseAsync(Uri server, string target, ScriptedServerOptions flaws, CancellationToken cancel)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, cancel);
            var connection = new ScriptedConnection(socket, cancel);
            string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            await connection.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET {target} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            if (await connection.ReadRequestAsync() is not { } response || !response.Head.StartsWith("HTTP/1.1 101 ", StringComparison.Ordinal)
                || response.Field("Sec-WebSocket-Accept") != PeerRequest.AcceptFor(key))
            {
                return; // not accepted: fail the connection (§4.1)
            }

            await new EchoEndpoint(connection, flaws with { AsClient = true }).RunAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the harness ended the connection, or the round was ended
        }
    }

    private static Uri Endpoint(Uri server, string pathAndQuery) => new($"{server.GetLeftPart(UriPartial.Authority)}{pathAndQuery}");
}

/// <summary>The end of a connection as a client makes it.</summary>
internal static class ClientEnds
{
    /// <summary>RFC 6455 §7.1.1: after the closing handshake the client waits for the server to close TCP (at most <paramref name="patience"/>), then closes.</summary>
    public static async Task WaitForServerToCloseAsync(this ScriptedConnection connection, TimeSpan patience)
    {
        try
        {
            await connection.DrainAsync(patience).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            connection.Socket.Close();
        }
    }
}
