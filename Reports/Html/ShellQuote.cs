using System.Globalization;
using System.Text;

namespace Conformance.Reports.Html;

/// <summary>Quotes words for a POSIX shell (bash), so a command shown in a report can be pasted as it is.</summary>
public static class ShellQuote
{
    /// <summary>The word as it is when it has only characters no shell treats specially, otherwise quoted.</summary>
    public static string IfNeeded(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_-./:@%+,".Contains(c)) ? word : Always(word);

    /// <summary>
    /// Single quotes (<c>'it'\''s'</c>); text with control characters uses bash's <c>$'…'</c> form with escapes,
    /// so nothing invisible or line-breaking ends up in a pasted command.
    /// </summary>
    public static string Always(string word)
    {
        if (!word.Any(char.IsControl))
        {
            return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        }

        var quoted = new StringBuilder("$'");
        foreach (char c in word)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '\'' => "\\'",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => c < 0x80 ? $"\\x{(int)c:x2}" : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }

        return quoted.Append('\'').ToString();
    }
}
