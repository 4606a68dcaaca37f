namespace Conformance.Harness.Handshake;

/// <summary>
/// The user's own request fields for testing a server (<c>--header</c>, <c>--origin</c>, <c>--protocol</c>, and the
/// spec's <c>servers[].headers/origin/protocols</c>), checked before any connection: a field that would break
/// the request, or one the harness writes itself, is refused with one line.
/// </summary>
internal static class RequestFields
{
    /// <summary>Fields the tester writes itself (or that have their own option); a case that leaves one out does so on purpose.</summary>
    private static readonly string[] Reserved =
    [
        "Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Protocol", "Origin", "Content-Length", "Transfer-Encoding",
    ];

    /// <summary>Parses <c>Name: value</c>; returns null and why when it cannot be sent as a header field.</summary>
    public static KeyValuePair<string, string>? ParseHeader(string text, out string? error)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = $"--header '{Clip(text)}' is not 'Name: value'";
            return null;
        }

        string name = text[..colon].Trim();
        string value = text[(colon + 1)..].Trim(' ', '\t');
        error = CheckHeader(name, value);
        return error is null ? new(name, value) : null;
    }

    /// <summary>Why a header field cannot be added to every request, or null when it can.</summary>
    public static string? CheckHeader(string name, string value)
    {
        if (!IsToken(name))
        {
            return $"header name '{Clip(name)}' is not an HTTP token (RFC 9110 §5.1)";
        }

        if (Reserved.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return name.Equals("Origin", StringComparison.OrdinalIgnoreCase) ? "use --origin URL (the spec's 'origin') for the Origin field"
                : name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase) ? "use --protocol NAME (the spec's 'protocols') to offer subprotocols"
                : $"the header field '{name}' is written by the harness itself and cannot be set";
        }

        return IsFieldValue(value) ? null : $"the value of header '{name}' holds a control character (CR, LF or NUL are never allowed in a field value, RFC 9110 §5.5)";
    }

    /// <summary>Why an origin cannot be sent, or null: an absolute URL (RFC 6454 serializes origins as scheme://host[:port]) without control characters.</summary>
    public static string? CheckOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out _) && IsFieldValue(origin) && !origin.Contains(' ', StringComparison.Ordinal)
            ? null
            : $"origin '{Clip(origin)}' is not an absolute URL such as https://example.com (RFC 6454 §6.2)";

    /// <summary>Why a subprotocol name cannot be offered, or null: it must be a token (RFC 6455 §4.1 item 10).</summary>
    public static string? CheckProtocol(string protocol) =>
        IsToken(protocol) ? null : $"subprotocol '{Clip(protocol)}' is not a token (RFC 6455 §4.1 item 10: no spaces, commas or separators)";

    private static bool IsToken(string text) => text.Length > 0 && text.All(c => c < 0x7F && (char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)));

    private static bool IsFieldValue(string text) => text.All(c => c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF));

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
