using System.Globalization;
using System.Text.Json.Nodes;

namespace Conformance.Reports.Reading;

/// <summary>Lenient readers for JSON written by us or by Autobahn: a missing field or one of another type gives null.</summary>
internal static class Json
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? Text(JsonObject obj, string name) => obj[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static double? Number(JsonObject obj, string name) => Number(obj[name]);

    public static double? Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out double d) ? d
        : node is JsonValue s && s.TryGetValue(out string? text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) ? parsed
        : null;

    public static int? Int(JsonObject obj, string name) => Number(obj, name) is double d && d is >= int.MinValue and <= int.MaxValue ? (int)d : null;

    /// <summary>A whole number read exactly (a double would round lengths above 2^53).</summary>
    public static long? Long(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue(out long l) ? l : Number(obj, name) is double d && d is >= long.MinValue and < long.MaxValue ? (long)d : null;

    public static bool Bool(JsonObject obj, string name) => obj[name] is JsonValue v && v.TryGetValue(out bool b) && b;

    public static DateTimeOffset? Time(JsonObject obj, string name) =>
        Text(obj, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    public static Dictionary<string, string> Strings(JsonNode? node) =>
        node is JsonObject obj ? obj.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue(out string? s) ? s : p.Value?.ToJsonString(Relaxed) ?? "", StringComparer.Ordinal) : [];

    /// <summary>A string as it is; anything else (an Autobahn event tuple, a close record) as compact JSON.</summary>
    public static string Describe(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : node?.ToJsonString(Relaxed) ?? "null";
}
