namespace Conformance.Reports.Writers;

/// <summary>
/// Orders case IDs numerically part by part, as people read them (2.1, 2.10, 10.1.1); IDs that are not
/// dotted numbers come after, in ordinal order. Never throws.
/// </summary>
internal sealed class CaseIdOrder : IComparer<string?>
{
    public static CaseIdOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var left = Parts(x);
        var right = Parts(y);
        if (left is null || right is null)
        {
            return left is null && right is null ? string.CompareOrdinal(x, y) : left is null ? 1 : -1;
        }

        for (int i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            int byPart = left[i].CompareTo(right[i]);
            if (byPart != 0)
            {
                return byPart;
            }
        }

        int byLength = left.Length.CompareTo(right.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }

    private static long[]? Parts(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var pieces = id.Split('.');
        var parts = new long[pieces.Length];
        for (int i = 0; i < pieces.Length; i++)
        {
            if (pieces[i].Length is 0 or > 9 || !pieces[i].All(char.IsAsciiDigit))
            {
                return null;
            }

            parts[i] = long.Parse(pieces[i], System.Globalization.CultureInfo.InvariantCulture);
        }

        return parts;
    }
}
