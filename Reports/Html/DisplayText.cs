using System.Globalization;
using System.Text;

namespace Conformance.Reports.Html;

/// <summary>
/// Turns untrusted text (close reasons, headers, payload excerpts) into text that shows what was there and
/// cannot upset a page: control characters become visible escapes (\x07; \u202E for bidirectional and C1 controls), as the harness writes them in handshake text, lone
/// surrogates become U+FFFD, and long text is cut with a note saying how much was left out. Markup is left
/// to the encoder: this only decides what characters to show.
/// </summary>
public static class DisplayText
{
    /// <summary>One line: every control character, line breaks included, is shown as a symbol.</summary>
    public static string Line(string? text, int maxChars) => Cut(Visible(text), maxChars);

    /// <summary>Several lines (a handshake, a reason over lines): CR LF and LF stay line breaks, each line is cut on its own, and the whole block too.</summary>
    public static string Block(string? text, int maxLineChars, int maxLines)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var shown = lines.Take(maxLines).Select(line => Line(line, maxLineChars));
        string block = string.Join("\n", shown);
        return lines.Length > maxLines ? $"{block}\n… [cut: {Count(lines.Length)} lines, first {Count(maxLines)} shown]" : block;
    }

    /// <summary>The note appended when text is cut, e.g. "… [cut: 1,048,576 characters, first 200 shown]".</summary>
    public static string CutNote(long total, long shown, string unit) => $"… [cut: {Count(total)} {unit}, first {Count(shown)} shown]";

    public static string Count(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Cut(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        int end = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
        return text[..end] + " " + CutNote(text.Length, end, "characters");
    }

    private static string Visible(string? text) => Conformance.Reports.Text.Clip.Escape(text);
}
