using System.Text;

namespace Conformance.Cases.Scripting;

/// <summary>One header field line of a scripted HTTP head, written exactly as given (the name's letter case is kept).</summary>
public sealed record HeaderLine(string Name, string Value)
{
    /// <summary>Stands for the header fields the user asked for on every handshake (<c>--header</c>, <c>--origin</c>, <c>--protocol</c>).</summary>
    public static HeaderLine UserFields { get; } = new(HandshakeTokens.UserFields, "");

    public override string ToString() => Name == HandshakeTokens.UserFields ? Name : $"{Name}: {Value}";
}

/// <summary>
/// Values the harness fills in when it writes a scripted head, because they depend on the connection:
/// where it connects, the key it made, the key the client sent.
/// </summary>
public static class HandshakeTokens
{
    /// <summary>The path and query of the target URL (<c>/</c> when empty).</summary>
    public const string Path = "{path}";

    /// <summary>host:port of the target URL.</summary>
    public const string Host = "{host}";

    /// <summary>A fresh Sec-WebSocket-Key (16 random octets in base64).</summary>
    public const string Key = "{key}";

    /// <summary>A second fresh key (for a request that carries two).</summary>
    public const string SecondKey = "{key2}";

    /// <summary>The right Sec-WebSocket-Accept for the client's key (RFC 6455 §4.2.2 item 5.4).</summary>
    public const string Accept = "{accept}";

    /// <summary>The Sec-WebSocket-Accept of another key: well-formed, and wrong.</summary>
    public const string WrongAccept = "{wrong-accept}";

    /// <summary>
    /// A permessage-deflate response the client's offers do not allow: one of its offers with a parameter that
    /// offer did not include (RFC 7692 §7.1.2), or the bare extension when the client offered none.
    /// </summary>
    public const string UnofferedDeflate = "{unoffered-deflate}";

    /// <summary>Where the user's own header fields go (see <see cref="HeaderLine.UserFields"/>).</summary>
    public const string UserFields = "{user-fields}";
}

/// <summary>An HTTP/1.1 head as a case writes it: a start line and header lines, octet for octet, with <see cref="HandshakeTokens"/> in it.</summary>
public sealed record HeadScript(string StartLine, IReadOnlyList<HeaderLine> Fields)
{
    /// <summary>The head with every token replaced; <paramref name="userFields"/> replaces <see cref="HeaderLine.UserFields"/>.</summary>
    public string Render(IReadOnlyDictionary<string, string> values, IReadOnlyList<HeaderLine> userFields)
    {
        var head = new StringBuilder();
        head.Append(Fill(StartLine, values)).Append("\r\n");
        foreach (var field in Fields)
        {
            foreach (var line in field.Name == HandshakeTokens.UserFields ? userFields : [field])
            {
                head.Append(Fill(line.Name, values)).Append(": ").Append(Fill(line.Value, values)).Append("\r\n");
            }
        }

        return head.Append("\r\n").ToString();
    }

    /// <summary>The names of the fields the script writes itself (user fields of the same name are left out).</summary>
    public IEnumerable<string> Names => Fields.Where(f => f.Name != HandshakeTokens.UserFields).Select(f => f.Name);

    public HeadScript With(params HeaderLine[] more) => this with { Fields = [.. Fields, .. more] };

    /// <summary>The head without the fields of this name (any letter case).</summary>
    public HeadScript Without(string name) => this with { Fields = [.. Fields.Where(f => !f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))] };

    /// <summary>The head with the value of the named field replaced (the field keeps its place).</summary>
    public HeadScript Replace(string name, string value) => this with
    {
        Fields = [.. Fields.Select(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase) ? f with { Value = value } : f)],
    };

    /// <summary>The head with every field name rewritten (e.g. to lower case).</summary>
    public HeadScript MapNames(Func<string, string> map) => this with
    {
        Fields = [.. Fields.Select(f => f.Name == HandshakeTokens.UserFields ? f : f with { Name = map(f.Name) })],
    };

    public string Describe() => StartLine + " | " + string.Join(" | ", Fields);

    private static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        if (!text.Contains('{', StringComparison.Ordinal))
        {
            return text;
        }

        foreach (var (token, value) in values)
        {
            text = text.Replace(token, value, StringComparison.Ordinal);
        }

        return text;
    }
}

/// <summary>
/// Testing a server: the tester opens the connection with exactly this request instead of its own. It is
/// written whole, one octet per write (<see cref="Writing.Chop"/>), or with its final empty line held back
/// for <see cref="HoldLastLine"/>; <see cref="FirstFrame"/> goes in the same write as the request.
/// </summary>
public sealed record SendHandshakeRequest(HeadScript Request) : Step
{
    public Writing Writing { get; init; } = Writing.Whole;

    /// <summary>A frame written together with the request, in one TCP segment.</summary>
    public Frame? FirstFrame { get; init; }

    /// <summary>Hold back the request's final CRLF this long: a server must not answer a request it has not read.</summary>
    public TimeSpan HoldLastLine { get; init; }

    public override string Describe() =>
        $"send request [{Request.Describe()}] [{Writing}]" +
        (FirstFrame is { } frame ? $" with first frame {frame.Describe()} in the same write" : "") +
        (HoldLastLine > TimeSpan.Zero ? $" holding the final empty line {HoldLastLine.TotalSeconds}s" : "");
}

/// <summary>
/// Testing a client: the tester answers the client's opening request with exactly this response instead of
/// its own, written whole or one octet per write; <see cref="FirstFrame"/> goes in the same write.
/// </summary>
public sealed record ServeHandshakeResponse(HeadScript Response) : Step
{
    public Writing Writing { get; init; } = Writing.Whole;

    /// <summary>A frame written together with the response, in one TCP segment.</summary>
    public Frame? FirstFrame { get; init; }

    public override string Describe() =>
        $"answer with [{Response.Describe()}] [{Writing}]" + (FirstFrame is { } frame ? $" with first frame {frame.Describe()} in the same write" : "");
}
