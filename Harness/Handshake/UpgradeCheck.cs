using Conformance.Cases.Scripting;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Handshake;

/// <summary>
/// The checks a client makes of a server's 101 (RFC 6455 §4.1), for a request the case wrote itself: the
/// offered subprotocols and extensions are read from the request as sent. Beyond <see cref="ClientHandshake.Check"/>:
/// at most one Sec-WebSocket-Protocol field holding one value, and only extensions that were offered.
/// </summary>
internal static class UpgradeCheck
{
    /// <summary>Why the response does not establish the connection, or null when it does.</summary>
    public static string? Check(string responseHead, string requestHead, string key, Uri target, out HttpHead parsed)
    {
        var request = HttpHead.Parse(requestHead);
        var protocols = Values(request, "Sec-WebSocket-Protocol").ToArray();
        var extensions = Values(request, "Sec-WebSocket-Extensions").ToArray();
        var offer = new HandshakeOffer(target, ClientOpening.UserAgent) { Protocols = protocols, Extensions = extensions.Length == 0 ? null : string.Join(", ", extensions) };
        if (ClientHandshake.Check(responseHead, key, offer, out parsed) is { } error)
        {
            return error;
        }

        int protocolFields = parsed.Fields.Count(f => f.Key.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase));
        if (protocolFields > 1)
        {
            return $"the response has {protocolFields} Sec-WebSocket-Protocol fields; \"The |Sec-WebSocket-Protocol| header field MUST NOT appear more than once in an HTTP response\" (RFC 6455 §11.3.4)";
        }

        var offeredNames = extensions.Select(e => e.Split(';')[0].Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (string accepted in Values(parsed, "Sec-WebSocket-Extensions"))
        {
            string name = accepted.Split(';')[0].Trim();
            if (!offeredNames.Contains(name))
            {
                return $"the server accepted the extension '{Clip(name)}', which the request did not offer (RFC 6455 §4.1 item 5, §9.1)";
            }
        }

        return null;
    }

    /// <summary>The comma-separated elements of every field of this name (extension parameters stay with their element).</summary>
    private static IEnumerable<string> Values(HttpHead head, string name) => head.Fields
        .Where(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
        .SelectMany(f => Split(f.Value))
        .Where(v => v.Length > 0);

    /// <summary>Splits at commas outside quoted strings (an extension parameter may be a quoted string, RFC 6455 §9.1).</summary>
    private static IEnumerable<string> Split(string value)
    {
        int start = 0;
        bool quoted = false;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '"')
            {
                quoted = !quoted;
            }
            else if (value[i] == ',' && !quoted)
            {
                yield return value[start..i].Trim();
                start = i + 1;
            }
        }

        yield return value[start..].Trim();
    }

    /// <summary>The header lines the user asked for (origin, subprotocols, extra fields), except those the script writes itself.</summary>
    public static IReadOnlyList<HeaderLine> UserFields(ServerTarget target, HeadScript script)
    {
        var written = script.Names.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var lines = new List<HeaderLine>();
        if (target.Origin is { } origin)
        {
            lines.Add(new("Origin", origin));
        }

        if (target.Protocols.Count > 0)
        {
            lines.Add(new("Sec-WebSocket-Protocol", string.Join(", ", target.Protocols)));
        }

        lines.AddRange(target.Headers.Select(h => new HeaderLine(h.Key, h.Value)));
        return lines.Where(l => !written.Contains(l.Name)).ToArray();
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
