using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conformance.Reports.Writers;

/// <summary>
/// JSON laid out the way Autobahn|Testsuite writes it — Python's
/// <c>json.dumps(obj, sort_keys=True, indent=3, separators=(',', ': '))</c>: object keys in ordinal
/// order at every level, three spaces per level, "\n" line breaks and no newline after the closing brace.
/// </summary>
/// <remarks>
/// Strings are escaped with <see cref="JavaScriptEncoder.Default"/> rather than Python's
/// <c>ensure_ascii</c>: both turn every non-ASCII character into <c>\uXXXX</c>, but ours also escapes
/// HTML-sensitive characters (<c>&lt; &gt; &amp; ' " + `</c>) and writes hex digits in upper case, so the
/// files are safe to inline into HTML. Text without such characters comes out byte for byte as Python's.
/// </remarks>
public static class AutobahnJson
{
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = true,
        IndentSize = 3,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.Default,
    };

    /// <summary>Serializes <paramref name="root"/> with sorted keys.</summary>
    /// <param name="root">The document.</param>
    /// <param name="integerKeyedMaps">
    /// Names of properties whose values are maps keyed by integers (frame counts by opcode). Python sorts a
    /// dict's keys before turning them into strings, so those maps come out in numeric order ("2" before "10").
    /// </param>
    public static byte[] ToUtf8Bytes(JsonNode root, IReadOnlySet<string>? integerKeyedMaps = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteSorted(writer, root, integerKeyedMaps ?? new HashSet<string>(), numericKeys: false);
        }

        return buffer.ToArray();
    }

    /// <summary>Whole milliseconds as Autobahn records them: <c>int(round(ms))</c>, halves away from zero (Python 2).</summary>
    public static long WholeMilliseconds(double milliseconds) =>
        double.IsFinite(milliseconds)
            ? (long)Math.Clamp(Math.Round(milliseconds, MidpointRounding.AwayFromZero), long.MinValue, long.MaxValue)
            : 0;

    /// <summary>Milliseconds with exactly three decimals (a JSON number such as <c>12.300</c>); null when not finite.</summary>
    public static JsonNode? ThreeDecimals(double milliseconds) =>
        double.IsFinite(milliseconds) && Math.Abs(milliseconds) < 1e15
            ? JsonValue.Create(decimal.Round((decimal)milliseconds, 3, MidpointRounding.AwayFromZero) + 0.000m)
            : null;

    /// <summary>Autobahn's time stamp: UTC, ISO 8601, milliseconds and a trailing Z (<c>2025-01-31T09:08:07.654Z</c>).</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteSorted(Utf8JsonWriter writer, JsonNode? node, IReadOnlySet<string> integerKeyedMaps, bool numericKeys)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in Order(obj, numericKeys))
                {
                    writer.WritePropertyName(key);
                    WriteSorted(writer, value, integerKeyedMaps, integerKeyedMaps.Contains(key));
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteSorted(writer, item, integerKeyedMaps, numericKeys: false);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Order(JsonObject obj, bool numericKeys) =>
        numericKeys
            ? obj.OrderBy(p => long.TryParse(p.Key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? n : long.MaxValue)
                 .ThenBy(p => p.Key, StringComparer.Ordinal)
            : obj.OrderBy(p => p.Key, StringComparer.Ordinal);
}
