namespace Conformance.Reports.Html;

/// <summary>
/// Escapes every value a template prints so that it is inert both in element text and in quoted or unquoted
/// attribute values: <c>&amp; &lt; &gt; " ' ` =</c> become character references. Control characters that
/// reach the encoder (view models normally make them visible first) and lone surrogates become U+FFFD, so the
/// output is always well-formed.
/// </summary>
public static class HtmlTextEncoder
{
    public static string Encode(string text)
    {
        int first = 0;
        while (first < text.Length && Replacement(text, first) is null)
        {
            first++;
        }

        if (first == text.Length)
        {
            return text; // most values: nothing to escape, nothing to allocate
        }

        var builder = new System.Text.StringBuilder(text.Length + 16).Append(text, 0, first);
        Write(text.AsSpan(), first, builder);
        return builder.ToString();
    }

    private static void Write(ReadOnlySpan<char> text, int start, System.Text.StringBuilder target)
    {
        for (int i = start; i < text.Length; i++)
        {
            string? replacement = Replacement(text, i);
            if (replacement is null)
            {
                continue;
            }

            target.Append(text[start..i]).Append(replacement);
            start = i + 1;
        }

        target.Append(text[start..]);
    }

    private static string? Replacement(ReadOnlySpan<char> text, int i)
    {
        char c = text[i];
        switch (c)
        {
            case '&': return "&amp;";
            case '<': return "&lt;";
            case '>': return "&gt;";
            case '"': return "&quot;";
            case '\'': return "&#39;";
            case '`': return "&#96;";
            case '=': return "&#61;";
            case '\t' or '\n' or '\r': return null;
        }

        if (char.IsControl(c) || c is '\uFFFE' or '\uFFFF')
        {
            return "\uFFFD";
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? null : "\uFFFD";
        }

        return char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1])) ? "\uFFFD" : null;
    }
}
