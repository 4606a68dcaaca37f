using System.Security.Cryptography;
using System.Text;

namespace Conformance.Tests.Support;

/// <summary>An HTTP request head as a test peer read it (without its empty line), with its header fields.</summary>
internal sealed class PeerRequest(string head)
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public string Head { get; } = head;

    public string RequestLine => Head.Split("\r\n")[0];

    /// <summary>Every "name: value" line after the request line, trimmed, in order.</summary>
    public IReadOnlyList<(string Name, string Value)> Fields { get; } = head.Split("\r\n").Skip(1)
        .Select(line => line.Split(':', 2))
        .Where(parts => parts.Length == 2)
        .Select(parts => (parts[0].Trim(), parts[1].Trim()))
        .ToArray();

    /// <summary>The first value of a field (names compare case-insensitively), or null.</summary>
    public string? Field(string name) => Fields.Where(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).FirstOrDefault();

    /// <summary>All values of a field joined with ", " (RFC 9110 §5.3), or null when it is absent.</summary>
    public string? Joined(string name)
    {
        var values = Fields.Where(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).ToArray();
        return values.Length == 0 ? null : string.Join(", ", values);
    }

    public string? Key => Field("Sec-WebSocket-Key");

    /// <summary>RFC 6455 §4.2.2: base64(SHA-1(key + GUID)).</summary>
    public static string AcceptFor(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
}

/// <summary>A test peer's script met something other than what it expected.</summary>
internal sealed class PeerExpectationException(string message) : Exception(message);
