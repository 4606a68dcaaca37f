using System.Security.Cryptography;
using System.Text;
using Conformance.Reports.Text;

namespace Conformance.Harness.Wire;

/// <summary>What the tester offers when it opens a connection (RFC 6455 §4.1).</summary>
internal sealed record HandshakeOffer(Uri Target, string UserAgent)
{
    public string? Origin { get; init; }

    public IReadOnlyList<string> Protocols { get; init; } = [];

    public string? Extensions { get; init; }

    /// <summary>Extra header fields the user asked for (<c>--header</c>), written after the tester's own.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

/// <summary>The opening handshake from the client side: the request, and a pure check of the server's response.</summary>
internal static class ClientHandshake
{
    /// <summary>RFC 6455 §1.3: the GUID appended to the key before hashing.</summary>
    public const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public const int MaxResponseHeadLength = 16 * 1024;

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    public static string AcceptFor(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    public static string BuildRequest(HandshakeOffer offer, string key)
    {
        var uri = offer.Target;
        var request = new StringBuilder();
        request.Append("GET ").Append(string.IsNullOrEmpty(uri.PathAndQuery) ? "/" : uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        request.Append("Host: ").Append(uri.IdnHost.Contains(':') ? $"[{uri.IdnHost}]" : uri.IdnHost).Append(':').Append(uri.Port).Append("\r\n");
        request.Append("User-Agent: ").Append(offer.UserAgent).Append("\r\n");
        request.Append("Upgrade: websocket\r\n");
        request.Append("Connection: Upgrade\r\n");
        request.Append("Pragma: no-cache\r\n");
        request.Append("Cache-Control: no-cache\r\n");
        request.Append("Sec-WebSocket-Key: ").Append(key).Append("\r\n");
        if (offer.Origin is { } origin)
        {
            request.Append("Origin: ").Append(origin).Append("\r\n");
        }

        if (offer.Protocols.Count > 0)
        {
            request.Append("Sec-WebSocket-Protocol: ").Append(string.Join(", ", offer.Protocols)).Append("\r\n");
        }

        if (offer.Extensions is { } extensions)
        {
            request.Append("Sec-WebSocket-Extensions: ").Append(extensions).Append("\r\n");
        }

        foreach (var (name, value) in offer.Headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        request.Append("Sec-WebSocket-Version: 13\r\n\r\n");
        return request.ToString();
    }

    /// <summary>Finds the end of the response head (CRLF CRLF); -1 while it is incomplete.</summary>
    public static int HeadLength(ReadOnlySpan<byte> received)
    {
        int end = received.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    /// <summary>
    /// Checks a complete response head against RFC 6455 §4.1 (the client's duties when it reads the
    /// server's handshake). Returns null when the connection is established, else why it is not.
    /// </summary>
    public static string? Check(string head, string key, HandshakeOffer offer, out HttpHead parsed)
    {
        parsed = HttpHead.Parse(head);
        if (parsed.Error is { } error)
        {
            return error;
        }

        if (!parsed.StartLine.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        {
            return $"status line '{Shown(parsed.StartLine)}' is not HTTP/1.1 (RFC 6455 §4.1)";
        }

        string[] status = parsed.StartLine.Split(' ', 3);
        if (status.Length < 2 || status[1] != "101")
        {
            return $"server answered '{Shown(parsed.StartLine)}' instead of 101 Switching Protocols (RFC 6455 §4.1)";
        }

        if (!string.Equals(parsed.Get("Upgrade")?.Trim(), "websocket", StringComparison.OrdinalIgnoreCase))
        {
            return "response lacks 'Upgrade: websocket' (RFC 6455 §4.1, item 2)";
        }

        if (!HttpHead.HasToken(parsed.Get("Connection"), "upgrade"))
        {
            return "response lacks 'Connection: Upgrade' (RFC 6455 §4.1, item 3)";
        }

        if (parsed.Get("Sec-WebSocket-Accept")?.Trim() != AcceptFor(key))
        {
            return "Sec-WebSocket-Accept does not match the key (RFC 6455 §4.1, item 4)";
        }

        if (parsed.Get("Sec-WebSocket-Extensions") is { } extensions && offer.Extensions is null)
        {
            return $"server chose extensions '{Shown(extensions)}' the client did not offer (RFC 6455 §4.1, item 5)";
        }

        if (parsed.Get("Sec-WebSocket-Protocol") is { } protocol && !offer.Protocols.Contains(protocol.Trim(), StringComparer.Ordinal))
        {
            return $"server chose subprotocol '{Shown(protocol)}' the client did not offer (RFC 6455 §4.1, item 6)";
        }

        return null;
    }

    private static string Shown(string text) => Clip.After(text, 80);
}
