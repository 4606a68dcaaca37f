using System.Text;

namespace Conformance.Harness.Handshake;

/// <summary>HTTP heads as the reports show them: every octet kept, control characters other than CR LF escaped.</summary>
internal static class HeadText
{
    /// <summary>Latin-1 keeps one character per octet, so what is shown is exactly what went over the wire.</summary>
    public static string Printable(ReadOnlySpan<byte> octets)
    {
        var builder = new StringBuilder(octets.Length);
        foreach (byte b in octets)
        {
            char c = (char)b;
            if (c is '\r' or '\n' || (b >= 0x20 && b < 0x7F))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append($"\\x{b:x2}");
            }
        }

        return builder.ToString();
    }

    public static string Printable(string latin1) => Printable(Encoding.Latin1.GetBytes(latin1));

    /// <summary>The status code of a status line such as <c>HTTP/1.1 426 Upgrade Required</c>; null when it is not one.</summary>
    public static int? StatusOf(string statusLine)
    {
        string[] parts = statusLine.Split(' ', 3);
        return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) && parts[1].Length == 3 && parts[1].All(char.IsAsciiDigit)
            ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}
