using System.Text;

namespace Conformance.Cases.Protocol;

/// <summary>One parameter of an extension: a name and an optional value (quoted-string values already unescaped).</summary>
public sealed record ExtensionParameter(string Name, string? Value, bool Quoted = false)
{
    public override string ToString() => Value is null ? Name : Quoted ? $"{Name}=\"{Value}\"" : $"{Name}={Value}";
}

/// <summary>One element of a <c>Sec-WebSocket-Extensions</c> value: an extension name and its parameters, in order.</summary>
public sealed record ExtensionElement(string Name, IReadOnlyList<ExtensionParameter> Parameters)
{
    public override string ToString() => Parameters.Count == 0 ? Name : Name + "; " + string.Join("; ", Parameters);
}

/// <summary>
/// The <c>Sec-WebSocket-Extensions</c> grammar of RFC 6455 §9.1: a comma-separated list of extensions,
/// each a token followed by <c>; param</c> or <c>; param=value</c> where the value is a token or a
/// quoted-string whose unescaped text is a token. Pure: returns an error instead of throwing.
/// </summary>
public static class ExtensionHeader
{
    /// <summary>Parses a header value (several header lines joined with ", " are one list). Empty list elements are skipped (RFC 9110 §5.6.1).</summary>
    public static IReadOnlyList<ExtensionElement>? Parse(string? value, out string? error)
    {
        error = null;
        var elements = new List<ExtensionElement>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return elements;
        }

        int i = 0;
        while (true)
        {
            SkipSpace(value, ref i);
            if (i < value.Length && value[i] == ',')
            {
                i++;
                continue; // empty element
            }

            if (i >= value.Length)
            {
                return elements;
            }

            string? name = Token(value, ref i);
            if (name is null)
            {
                error = $"expected an extension name at character {i + 1} of '{Clip(value)}' (RFC 6455 §9.1)";
                return null;
            }

            var parameters = new List<ExtensionParameter>();
            while (true)
            {
                SkipSpace(value, ref i);
                if (i >= value.Length || value[i] == ',')
                {
                    break;
                }

                if (value[i] != ';')
                {
                    error = $"unexpected '{value[i]}' at character {i + 1} of '{Clip(value)}' (RFC 6455 §9.1)";
                    return null;
                }

                i++;
                SkipSpace(value, ref i);
                string? parameter = Token(value, ref i);
                if (parameter is null)
                {
                    error = $"expected a parameter name at character {i + 1} of '{Clip(value)}' (RFC 6455 §9.1)";
                    return null;
                }

                SkipSpace(value, ref i);
                if (i < value.Length && value[i] == '=')
                {
                    i++;
                    SkipSpace(value, ref i);
                    bool quoted = i < value.Length && value[i] == '"';
                    string? parameterValue = quoted ? QuotedString(value, ref i) : Token(value, ref i);
                    if (parameterValue is null || (quoted && !IsToken(parameterValue)))
                    {
                        error = $"parameter '{parameter}' has no valid value at character {i + 1} of '{Clip(value)}' (RFC 6455 §9.1: a token, or a quoted-string holding a token)";
                        return null;
                    }

                    parameters.Add(new ExtensionParameter(parameter, parameterValue, quoted));
                }
                else
                {
                    parameters.Add(new ExtensionParameter(parameter, null));
                }
            }

            elements.Add(new ExtensionElement(name, parameters));
        }
    }

    public static string Format(IEnumerable<ExtensionElement> elements) => string.Join(", ", elements);

    public static bool IsToken(string text) => text.Length > 0 && text.All(IsTokenChar);

    /// <summary>RFC 9110 §5.6.2 tchar.</summary>
    public static bool IsTokenChar(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
        or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static string? Token(string text, ref int i)
    {
        int start = i;
        while (i < text.Length && IsTokenChar(text[i]))
        {
            i++;
        }

        return i > start ? text[start..i] : null;
    }

    private static string? QuotedString(string text, ref int i)
    {
        var value = new StringBuilder();
        i++; // opening quote
        while (i < text.Length)
        {
            char c = text[i++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\')
            {
                if (i >= text.Length)
                {
                    return null;
                }

                c = text[i++];
            }

            value.Append(c);
        }

        return null; // no closing quote
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
