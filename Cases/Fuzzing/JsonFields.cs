using System.Text.Json;

namespace Conformance.Cases.Fuzzing;

/// <summary>
/// Typed fields of a finding file, read so that a file edited by hand gets an error naming the field
/// (<see cref="FormatException"/>), not the JSON library's "the requested operation requires an element of type …".
/// </summary>
internal static class JsonFields
{
    public static JsonElement Field(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : throw new FormatException($"\"{name}\" is missing");

    public static string Text(this JsonElement obj, string name) =>
        obj.Field(name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : throw Wrong(name, "a string");

    public static byte Octet(this JsonElement obj, string name) =>
        obj.Field(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetByte(out byte octet) ? octet : throw Wrong(name, "a number from 0 to 255");

    public static ushort Ushort(this JsonElement obj, string name) =>
        obj.Field(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetUInt16(out ushort number) ? number : throw Wrong(name, "a number from 0 to 65535");

    public static int Int(this JsonElement obj, string name) =>
        obj.Field(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out int number) ? number : throw Wrong(name, "a whole number");

    public static bool Flag(this JsonElement obj, string name) =>
        obj.Field(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : throw Wrong(name, "true or false");

    /// <summary>An enum value by its exact name (not a number, not a combination).</summary>
    public static T Named<T>(this JsonElement obj, string name)
        where T : struct, Enum
    {
        string text = obj.Text(name);
        return Enum.GetNames<T>().Contains(text, StringComparer.Ordinal) ? Enum.Parse<T>(text) : throw Wrong(name, "one of " + string.Join(", ", Enum.GetNames<T>()));
    }

    public static byte[] Hex(this JsonElement obj, string name)
    {
        string text = obj.Text(name);
        return text.Length % 2 == 0 && text.All(char.IsAsciiHexDigit) ? Convert.FromHexString(text) : throw Wrong(name, "octets in hexadecimal");
    }

    public static IEnumerable<JsonElement> Items(this JsonElement obj, string name) =>
        obj.Field(name) is { ValueKind: JsonValueKind.Array } value ? value.EnumerateArray() : throw Wrong(name, "an array");

    private static FormatException Wrong(string name, string what) => new($"\"{name}\" must be {what}");
}
