namespace Conformance.Cases.Scripting;

/// <summary>A dotted case ID such as <c>6.4.3</c>; ordered numerically part by part, as Autobahn sorts them.</summary>
public sealed class CaseId : IComparable<CaseId>, IEquatable<CaseId>
{
    private readonly int[] _parts;

    private CaseId(int[] parts, string text)
    {
        _parts = parts;
        Text = text;
    }

    public string Text { get; }

    public IReadOnlyList<int> Parts => _parts;

    public int Category => _parts[0];

    /// <summary>"6.4" for 6.4.3; the ID itself for two-part IDs such as 2.10 (no subcategory).</summary>
    public string Subcategory => _parts.Length > 2 ? $"{_parts[0]}.{_parts[1]}" : Text;

    public static CaseId Parse(string text) => TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a case ID (expected numbers separated by dots, e.g. 6.4.3).");

    public static bool TryParse(string? text, out CaseId id)
    {
        id = null!;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var pieces = text.Split('.');
        var parts = new int[pieces.Length];
        for (int i = 0; i < pieces.Length; i++)
        {
            if (pieces[i].Length is 0 or > 6 || !pieces[i].All(char.IsAsciiDigit))
            {
                return false;
            }

            parts[i] = int.Parse(pieces[i], System.Globalization.CultureInfo.InvariantCulture);
        }

        id = new CaseId(parts, text);
        return true;
    }

    /// <summary>The file-name form Autobahn uses: dots become underscores.</summary>
    public string FileToken => Text.Replace('.', '_');

    public int CompareTo(CaseId? other)
    {
        if (other is null)
        {
            return 1;
        }

        for (int i = 0; i < Math.Min(_parts.Length, other._parts.Length); i++)
        {
            int c = _parts[i].CompareTo(other._parts[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return _parts.Length.CompareTo(other._parts.Length);
    }

    public bool Equals(CaseId? other) => other is not null && Text == other.Text;

    public override bool Equals(object? obj) => obj is CaseId other && Equals(other);

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;

    public static implicit operator CaseId(string text) => Parse(text);
}
