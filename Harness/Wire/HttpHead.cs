using Conformance.Reports.Text;

namespace Conformance.Harness.Wire;

/// <summary>A parsed HTTP/1.1 request or response head: start line and header fields (RFC 9112 §2, §5).</summary>
internal sealed record HttpHead(string StartLine, IReadOnlyList<KeyValuePair<string, string>> Fields, string? Error)
{
    public string? Get(string name)
    {
        var values = Fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).ToArray();
        return values.Length == 0 ? null : string.Join(", ", values);
    }

    public static bool HasToken(string? value, string token) =>
        value is not null && value.Split(',').Any(t => string.Equals(t.Trim(), token, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a head ending in an empty line; never throws, reports malformed input in <see cref="Error"/>.</summary>
    public static HttpHead Parse(string head)
    {
        var lines = head.Split("\r\n");
        if (lines.Length == 0 || lines[0].Length == 0)
        {
            return new("", [], "empty HTTP head");
        }

        var fields = new List<KeyValuePair<string, string>>();
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Any(c => c is ' ' or '\t' || char.IsControl(c)))
            {
                return new(lines[0], fields, $"malformed header line '{Clip.After(line, 60)}'");
            }

            fields.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        return new(lines[0], fields, null);
    }
}
