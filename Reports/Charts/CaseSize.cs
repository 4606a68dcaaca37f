using System.Globalization;
using System.Text.RegularExpressions;

namespace Conformance.Reports.Charts;

/// <summary>
/// The size a category 9, 12 or 13 case varies, read from its description (the catalogue writes it in words):
/// the fragment or chop size when the case sends a fixed message in pieces, otherwise the message size.
/// </summary>
internal static partial class CaseSize
{
    public static (string Axis, long Octets)? Of(string description)
    {
        foreach (var (pattern, axis) in new[] { (Fragments(), "fragment size"), (Chops(), "chop size"), (Message(), "message size") })
        {
            var match = pattern.Match(description);
            if (match.Success && long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                return (axis, n * Unit(match.Groups["unit"].Value));
            }
        }

        return null;
    }

    /// <summary>How many messages a 12/13 case sends ("Send 1000 compressed …"), 1 when not said.</summary>
    public static long Count(string description) =>
        CountPattern().Match(description) is { Success: true } m && long.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : 1;

    public static string Format(long octets) => octets switch
    {
        >= 1 << 20 when octets % (1 << 20) == 0 => $"{octets >> 20} MiB",
        >= 1 << 10 when octets % (1 << 10) == 0 => $"{octets >> 10} KiB",
        _ => octets.ToString(CultureInfo.InvariantCulture),
    };

    private static long Unit(string unit) => unit switch
    {
        "KiB" => 1L << 10,
        "MiB" => 1L << 20,
        _ => 1,
    };

    [GeneratedRegex(@"fragments of (?<n>\d+) (?<unit>octets|KiB|MiB)")]
    private static partial Regex Fragments();

    [GeneratedRegex(@"chops of (?<n>\d+) (?<unit>octets|KiB|MiB)")]
    private static partial Regex Chops();

    [GeneratedRegex(@"messages? of (?<n>\d+) (?<unit>octets|KiB|MiB|code points)")]
    private static partial Regex Message();

    [GeneratedRegex(@"^Send (?<n>\d+) ")]
    private static partial Regex CountPattern();
}
