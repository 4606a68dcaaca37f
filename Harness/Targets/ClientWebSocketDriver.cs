using System.Globalization;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Conformance.Harness.Targets;

/// <summary>
/// The embedded default client under test: .NET's <see cref="ClientWebSocket"/> (System.Net.WebSockets, code
/// this project did not write) driven through Autobahn's canonical driver sequence (catalogue spec §4):
/// <c>/getCaseCount</c>; <c>/runCase?case=N&amp;agent=A</c> for N = 1…count as an echo client (every message
/// sent back whole with its type; the library answers pings and fails the connection on protocol errors
/// by itself); <c>/updateReports?agent=A</c>. The close is answered with the code the server sent, as RFC 6455
/// §5.5.1 suggests. Keep-alive pings are off (they would be extra events), as in the Kestrel echo target.
/// </summary>
internal static class ClientWebSocketDriver
{
    public const string Agent = "ClientWebSocket (System.Net.WebSockets)";

    /// <summary>Larger messages are not echoed (the connection is aborted); the catalogue's largest is 16 MiB.</summary>
    public const int MaxMessageLength = 64 * 1024 * 1024;

    /// <summary>
    /// Runs every case the server offers, <paramref name="parallel"/> at a time (1 is Autobahn's sequential
    /// order; each case has its own connection, so more at once changes no verdict), then asks for the reports.
    /// Returns the number of cases run.
    /// </summary>
    /// <param name="trust">For wss://: the server's certificate, trusted exactly (pinned), beside the system's trust store.</param>
    public static async Task<int> RunAsync(Uri server, string agent, int parallel, Action<string>? log, CancellationToken cancel, X509Certificate2? trust = null)
    {
        var countText = await ReadMessagesAsync(Endpoint(server, "/getCaseCount"), cancel, trust).ConfigureAwait(false);
        if (countText.Count != 1 || !int.TryParse(countText[0], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            throw new InvalidOperationException($"/getCaseCount answered [{string.Join(", ", countText)}], not one number");
        }

        string agentQuery = Uri.EscapeDataString(agent);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancel };
        await Parallel.ForEachAsync(Enumerable.Range(1, count), options, async (n, token) =>
        {
            string outcome = await EchoCaseAsync(Endpoint(server, $"/runCase?case={n}&agent={agentQuery}"), token, trust).ConfigureAwait(false);
            log?.Invoke($"case {n}/{count}: {outcome}");
        }).ConfigureAwait(false);

        await ReadMessagesAsync(Endpoint(server, $"/updateReports?agent={agentQuery}"), cancel, trust).ConfigureAwait(false);
        return count;
    }

    /// <summary>One case: echo until the connection closes. Returns how it ended, in words (for the log).</summary>
    public static async Task<string> EchoCaseAsync(Uri url, CancellationToken cancel, X509Certificate2? trust = null)
    {
        using var socket = NewSocket(trust);
        try
        {
            await socket.ConnectAsync(url, cancel).ConfigureAwait(false);
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, cancel).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    // Answer the closing handshake with the server's own code (or none, when it sent none).
                    var status = socket.CloseStatus ?? WebSocketCloseStatus.Empty;
                    await socket.CloseOutputAsync(status, status == WebSocketCloseStatus.Empty ? null : socket.CloseStatusDescription, cancel).ConfigureAwait(false);
                    return $"closed by the server ({(int)status})";
                }

                if (message.Length + received.Count > MaxMessageLength)
                {
                    socket.Abort();
                    return $"message longer than {MaxMessageLength} octets: aborted";
                }

                message.Write(buffer, 0, received.Count);
                if (received.EndOfMessage)
                {
                    await socket.SendAsync(message.GetBuffer().AsMemory(0, (int)message.Length), received.MessageType, endOfMessage: true, cancel).ConfigureAwait(false);
                    message.SetLength(0);
                }
            }
        }
        catch (WebSocketException e)
        {
            // The library failed the connection (a protocol error of the server's frames), or the server went away.
            return $"{e.WebSocketErrorCode}: {e.Message}";
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return "cancelled";
        }
    }

    /// <summary>Connects to a control URL and collects its text messages until the server closes.</summary>
    public static async Task<IReadOnlyList<string>> ReadMessagesAsync(Uri url, CancellationToken cancel, X509Certificate2? trust = null)
    {
        using var socket = NewSocket(trust);
        await socket.ConnectAsync(url, cancel).ConfigureAwait(false);
        var messages = new List<string>();
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, cancel).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel).ConfigureAwait(false);
                    return messages;
                }

                message.Write(buffer, 0, received.Count);
                if (received.EndOfMessage)
                {
                    messages.Add(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (WebSocketException) when (socket.State is WebSocketState.Aborted or WebSocketState.Closed)
        {
            return messages; // the server dropped the connection: what arrived is the answer
        }
    }

    private static ClientWebSocket NewSocket(X509Certificate2? trust)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (trust is not null)
        {
            socket.Options.RemoteCertificateValidationCallback = Pinned(trust);
        }

        return socket;
    }

    /// <summary>Accepts what the system trusts, and the one certificate given (compared by its SHA-256 hash).</summary>
    public static RemoteCertificateValidationCallback Pinned(X509Certificate2 trusted)
    {
        byte[] expected = trusted.GetCertHash(HashAlgorithmName.SHA256);
        return (_, certificate, _, errors) => errors == SslPolicyErrors.None
            || (certificate is not null && certificate.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(expected));
    }

    private static Uri Endpoint(Uri server, string pathAndQuery) => new($"{server.GetLeftPart(UriPartial.Authority)}{pathAndQuery}");
}
