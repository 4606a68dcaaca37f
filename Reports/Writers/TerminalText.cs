using System.Globalization;
using System.Text;

namespace Conformance.Reports.Writers;

/// <summary>Makes untrusted text (agent names, peers' close reasons) safe for one line of a plain ASCII terminal table.</summary>
internal static class TerminalText
{
    /// <summary>
    /// One printable-ASCII line of at most <paramref name="maxLength"/> characters: line breaks, tabs and other
    /// control characters (escape sequences included) become spaces, runs of spaces collapse, accented letters
    /// lose their accents and any other non-ASCII character becomes '?'. Too long → cut, ending in "...".
    /// </summary>
    public static string OneLine(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text) || maxLength <= 0)
        {
            return "";
        }

        var line = new StringBuilder(Math.Min(text.Length, maxLength + 16));
        foreach (var rune in text.EnumerateRunes()) // a lone surrogate arrives as U+FFFD
        {
            if (line.Length > maxLength)
            {
                break;
            }

            if (Rune.IsControl(rune) || Rune.IsWhiteSpace(rune))
            {
                if (line.Length > 0 && line[^1] != ' ')
                {
                    line.Append(' ');
                }
            }
            else
            {
                line.Append(rune.IsAscii ? (char)rune.Value : AsciiFold(rune));
            }
        }

        return Fit(line.ToString(), maxLength);
    }

    /// <summary>The line without trailing spaces, cut to <paramref name="maxLength"/> characters ending in "..." if longer.</summary>
    public static string Fit(string line, int maxLength)
    {
        line = line.TrimEnd();
        if (line.Length <= maxLength)
        {
            return line;
        }

        return maxLength <= 3 ? line[..Math.Max(maxLength, 0)] : line[..(maxLength - 3)].TrimEnd() + "...";
    }

    /// <summary>Number with one decimal, whatever the culture (NaN and infinities count as 0).</summary>
    public static string Seconds(double milliseconds) =>
        (double.IsFinite(milliseconds) ? milliseconds / 1000 : 0).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>"é" → 'e', "ﬁ" → 'f'; anything without an ASCII letter at its base → '?'.</summary>
    private static char AsciiFold(Rune rune)
    {
        try
        {
            string decomposed = rune.ToString().Normalize(NormalizationForm.FormKD);
            return decomposed.Length > 0 && char.IsAsciiLetterOrDigit(decomposed[0]) ? decomposed[0] : '?';
        }
        catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
        {
            return '?'; // no normalization data (globalization-invariant mode) or nothing to normalize
        }
    }
}
