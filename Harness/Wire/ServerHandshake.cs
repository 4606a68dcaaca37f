using System.Globalization;
using System.Text;
using Conformance.Reports.Text;

namespace Conformance.Harness.Wire;

/// <summary>An HTTP request as the server reads it: request line, header fields, and the target split into path and query.</summary>
internal sealed record ClientRequest(string Method, string Target, string Version, HttpHead Head)
{
    /// <summary>The path of the request target, without the query (e.g. <c>/runCase</c>).</summary>
    public string Path
    {
        get
        {
            int query = Target.IndexOf('?', StringComparison.Ordinal);
            return query < 0 ? Target : Target[..query];
        }
    }

    /// <summary>The query of the request target without the '?', or an empty string.</summary>
    public string QueryText
    {
        get
        {
            int query = Target.IndexOf('?', StringComparison.Ordinal);
            return query < 0 ? "" : Target[(query + 1)..];
        }
    }

    /// <summary>The query parameters in order, decoded; a name may occur more than once.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query => ServerHandshake.ParseQuery(QueryText);

    /// <summary>The request asks to switch to WebSocket (an <c>Upgrade</c> field naming websocket is present).</summary>
    public bool AsksForWebSocket => HttpHead.HasToken(Head.Get("Upgrade"), "websocket");

    public string? Key => Head.Get("Sec-WebSocket-Key")?.Trim();
}

/// <summary>Why the server does not accept a request, as the HTTP status it answers with (and a text for people).</summary>
internal sealed record HttpError(int Status, string Message)
{
    /// <summary>Extra header fields of the error response, e.g. <c>Sec-WebSocket-Version: 13</c> with 426 (RFC 6455 §4.4).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];

    public string ReasonPhrase => Status switch
    {
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };
}

/// <summary>
/// The opening handshake from the server side (RFC 6455 §4.2): a pure parse and check of the client's
/// request that reports an <see cref="HttpError"/> instead of throwing, and the responses. The server
/// accepts any <c>Host</c> value, whatever port it names (Autobahn insists on its own port, which
/// breaks port-mapped set-ups: crossbario/autobahn-testsuite#128), and it never selects a subprotocol;
/// it selects an extension only in the compression cases (the permessage-deflate response the case's
/// accept rule gives, see PerMessageDeflate.Accept).
/// </summary>
internal static class ServerHandshake
{
    /// <summary>A request head longer than this is refused (431); nothing a WebSocket client sends comes close.</summary>
    public const int MaxRequestHeadLength = 16 * 1024;

    /// <summary>Finds the end of the request head (CRLF CRLF); -1 while it is incomplete.</summary>
    public static int HeadLength(ReadOnlySpan<byte> received) => ClientHandshake.HeadLength(received);

    /// <summary>
    /// Parses a complete request head (ending in an empty line). Returns null and the error to answer
    /// with when it is not an HTTP/1.x request.
    /// </summary>
    public static ClientRequest? Parse(string head, out HttpError? error)
    {
        var parsed = HttpHead.Parse(head);
        if (parsed.Error is { } malformed)
        {
            error = new HttpError(400, $"malformed request: {malformed}");
            return null;
        }

        string[] parts = parsed.StartLine.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[0].Any(c => c is < 'A' or > 'Z'))
        {
            error = new HttpError(400, $"malformed request line '{Shown(parsed.StartLine)}' (expected 'METHOD /path HTTP/1.1')");
            return null;
        }

        string version = parts[2];
        if (!version.StartsWith("HTTP/1.", StringComparison.Ordinal) || version.Length != 8 || !char.IsAsciiDigit(version[7]))
        {
            error = version.StartsWith("HTTP/", StringComparison.Ordinal)
                ? new HttpError(505, $"HTTP version '{Shown(version)}' is not supported: use HTTP/1.1")
                : new HttpError(400, $"malformed request line '{Shown(parsed.StartLine)}' (expected 'METHOD /path HTTP/1.1')");
            return null;
        }

        string? target = OriginForm(parts[1]);
        if (target is null)
        {
            error = new HttpError(400, $"request target '{Shown(parts[1])}' is neither a path nor an absolute URL");
            return null;
        }

        // The head is read as Latin-1, so every octet of raw UTF-8 is one character at 0x80 or above.
        if (target.Any(c => c > '\x7e'))
        {
            error = new HttpError(400, $"the request target '{Shown(target)}' holds raw non-ASCII octets (UTF-8 that is not percent-encoded): percent-encode them, e.g. agent=%C3%A9 for 'é' (RFC 3986 §2.1, RFC 9112 §3.2)");
            return null;
        }

        error = null;
        return new ClientRequest(parts[0], target, version, parsed);
    }

    /// <summary>
    /// Checks a request against the server's duties of RFC 6455 §4.2.1 (items 1–6). Returns null when
    /// the opening handshake can be accepted, else the error to answer with.
    /// </summary>
    public static HttpError? Check(ClientRequest request)
    {
        if (request.Method != "GET")
        {
            return new HttpError(405, $"the opening handshake must be a GET request, not {request.Method} (RFC 6455 §4.2.1, item 1)");
        }

        if (string.CompareOrdinal(request.Version, "HTTP/1.1") < 0)
        {
            return new HttpError(400, $"the opening handshake needs HTTP/1.1 or later, not {request.Version} (RFC 6455 §4.2.1, item 1)");
        }

        if (string.IsNullOrWhiteSpace(request.Head.Get("Host")))
        {
            return new HttpError(400, "the request has no Host header field (RFC 6455 §4.2.1, item 2)");
        }

        if (!request.AsksForWebSocket)
        {
            return new HttpError(426, "the request has no 'Upgrade: websocket' header field (RFC 6455 §4.2.1, item 3)")
            {
                Fields = [new("Upgrade", "websocket"), new("Connection", "Upgrade")],
            };
        }

        if (!HttpHead.HasToken(request.Head.Get("Connection"), "upgrade"))
        {
            return new HttpError(400, "the Connection header field does not include 'Upgrade' (RFC 6455 §4.2.1, item 4)");
        }

        string? key = request.Key;
        if (key is null)
        {
            return new HttpError(400, "the request has no Sec-WebSocket-Key header field (RFC 6455 §4.2.1, item 5)");
        }

        if (!IsValidKey(key))
        {
            return new HttpError(400, $"Sec-WebSocket-Key '{Shown(key)}' is not 16 octets in base64 (RFC 6455 §4.2.1, item 5)");
        }

        string? version = request.Head.Get("Sec-WebSocket-Version")?.Trim();
        if (version != "13")
        {
            // §4.4: answer with the versions the server supports.
            return new HttpError(426, version is null
                ? "the request has no Sec-WebSocket-Version header field (RFC 6455 §4.2.1, item 6)"
                : $"Sec-WebSocket-Version '{Shown(version)}' is not supported; this server speaks version 13 (RFC 6455 §4.4)")
            {
                Fields = [new("Sec-WebSocket-Version", "13")],
            };
        }

        return null;
    }

    /// <summary>
    /// The 101 response (RFC 6455 §4.2.2): the accept value for the client's key, and no subprotocol and no
    /// extension, whatever the client offered.
    /// </summary>
    public static string Accept(ClientRequest request, string serverName, string? extensions = null) =>
        "HTTP/1.1 101 Switching Protocols\r\n" +
        $"Server: {serverName}\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        $"Sec-WebSocket-Accept: {ClientHandshake.AcceptFor(request.Key ?? "")}\r\n" +
        (extensions is null ? "" : $"Sec-WebSocket-Extensions: {extensions}\r\n") +
        "\r\n";

    /// <summary>An error response with a plain-text body; the server closes the connection after it.</summary>
    public static byte[] Reject(HttpError error, string serverName) =>
        Response(error.Status, error.ReasonPhrase, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(error.Message + "\n"), serverName, error.Fields);

    /// <summary>A complete HTTP/1.1 response that closes the connection.</summary>
    public static byte[] Response(int status, string reason, string contentType, ReadOnlySpan<byte> body, string serverName, IReadOnlyList<KeyValuePair<string, string>>? fields = null)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Server: {serverName}\r\n");
        foreach (var (name, value) in fields ?? [])
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        head.Append("Cache-Control: no-store\r\n");
        head.Append("Connection: close\r\n\r\n");
        byte[] headOctets = Encoding.ASCII.GetBytes(head.ToString());
        var all = new byte[headOctets.Length + body.Length];
        headOctets.CopyTo(all, 0);
        body.CopyTo(all.AsSpan(headOctets.Length));
        return all;
    }

    /// <summary>
    /// Splits a query into decoded name/value pairs in order, as HTML forms encode them ('+' is a space,
    /// %XX an octet of UTF-8), which is how Autobahn reads its URLs. A name without '=' has an empty value.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? part : part[..equals];
            string value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add(new(Decode(name), Decode(value)));
        }

        return pairs;
    }

    private static string Decode(string text)
    {
        string spaced = text.Replace('+', ' ');
        try
        {
            return Uri.UnescapeDataString(spaced);
        }
        catch (UriFormatException)
        {
            return spaced;
        }
    }

    /// <summary>RFC 6455 §4.2.1 item 5: a base64-encoded value that decodes to 16 octets.</summary>
    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[32];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out int written) && written == 16;
    }

    /// <summary>The origin form (path and query) of a request target; absolute URLs are reduced to it (RFC 9112 §3.2).</summary>
    private static string? OriginForm(string target)
    {
        if (target.StartsWith('/'))
        {
            return target;
        }

        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss")
        {
            return uri.PathAndQuery;
        }

        return null;
    }

    private static string Shown(string text) => Clip.After(text, 80, controlAs: '?');
}
