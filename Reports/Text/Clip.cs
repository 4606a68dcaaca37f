using System.Globalization;
using System.Text;

namespace Conformance.Reports.Text;

/// <summary>
/// Shortens text for a message, an error or a log line (the harness and the reports share it): optionally
/// every control character becomes <c>controlAs</c> so the text stays on one line, and text that is too long is
/// cut and ends in "…". <see cref="Escape"/> is the one control-character escaping of the harness: the HTML report
/// (<c>DisplayText</c>) and the console (log lines, anything a peer sent) both show control characters with it.
/// </summary>
public static class Clip
{
    public const char Ellipsis = '…';

    /// <summary>
    /// Untrusted text made visible on one line, as the report shows it: control characters (escape sequences, BEL,
    /// line breaks) become <c>\x1b</c>-style escapes, C1 and bidirectional controls <c>\u202E</c>-style ones, lone
    /// surrogates U+FFFD; then cut to <paramref name="maxChars"/> with "…".
    /// </summary>
    public static string Visible(string? text, int maxChars) => Fit(Escape(text), maxChars);

    /// <summary>Every control character as a visible escape (see <see cref="Visible"/>); nothing cut.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (!NeedsEscape(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var rune in text.EnumerateRunes()) // a lone surrogate arrives as U+FFFD
        {
            int v = rune.Value;
            if (v is < 0x20 or 0x7F)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{v:x2}");
            }
            else if (IsInvisibleControl(v))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{v:X4}");
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    private static bool IsInvisibleControl(int v) =>
        v is >= 0x80 and < 0xA0 or >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 or 0x200E or 0x200F or 0xFEFF or 0xFFFE or 0xFFFF;

    private static bool NeedsEscape(string text)
    {
        foreach (char c in text)
        {
            if (c is < ' ' or '\x7f' || char.IsSurrogate(c) || IsInvisibleControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first <paramref name="keep"/> characters, followed by "…" when the text was longer.</summary>
    public static string After(string text, int keep, char? controlAs = null)
    {
        string shown = Replace(text, controlAs);
        return shown.Length <= keep ? shown : shown[..keep] + Ellipsis;
    }

    /// <summary>At most <paramref name="maxChars"/> characters in all, the "…" of a cut included.</summary>
    public static string Fit(string text, int maxChars, char? controlAs = null)
    {
        string shown = Replace(text, controlAs);
        return shown.Length <= maxChars ? shown : shown[..(maxChars - 1)] + Ellipsis;
    }

    private static string Replace(string text, char? controlAs) =>
        controlAs is { } replacement && text.Any(char.IsControl) ? new string(text.Select(c => char.IsControl(c) ? replacement : c).ToArray()) : text;
}
