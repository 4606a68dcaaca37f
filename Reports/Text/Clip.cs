namespace Conformance.Reports.Text;

/// <summary>
/// Shortens text for a message, an error or a log line (the harness and the reports share it): optionally
/// every control character becomes <c>controlAs</c> so the text stays on one line, and text that is too long is
/// cut and ends in "…". Escaping for a page or a terminal is <c>DisplayText</c>'s and <c>TerminalText</c>'s job.
/// </summary>
public static class Clip
{
    public const char Ellipsis = '…';

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
