using System.Text.Json;

namespace Conformance.Harness.Running;

/// <summary>The case selection every Autobahn spec file carries: <c>cases</c>, <c>exclude-cases</c>, <c>exclude-agent-cases</c>.</summary>
internal sealed record SpecSelection(IReadOnlyList<string> Cases, IReadOnlyList<string> ExcludeCases, IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludeAgentCases)
{
    public static SpecSelection? Read(JsonElement root, out string? error)
    {
        var cases = SpecJson.StringsOf(root, "cases", out error);
        if (error is not null)
        {
            return null;
        }

        if (cases is null)
        {
            error = "the spec has no 'cases' list";
            return null;
        }

        var exclude = SpecJson.StringsOf(root, "exclude-cases", out error) ?? [];
        if (error is not null)
        {
            return null;
        }

        var perAgent = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (root.TryGetProperty("exclude-agent-cases", out var agents))
        {
            if (agents.ValueKind != JsonValueKind.Object)
            {
                error = "'exclude-agent-cases' must map agent patterns to lists of case patterns";
                return null;
            }

            foreach (var entry in agents.EnumerateObject())
            {
                perAgent[entry.Name] = SpecJson.StringsOf(agents, entry.Name, out error) ?? [];
                if (error is not null)
                {
                    return null;
                }
            }
        }

        return new SpecSelection(cases, exclude, perAgent);
    }
}

/// <summary>Reading Autobahn's spec files: lenient JSON (comments, trailing commas), errors in words, never an exception.</summary>
internal static class SpecJson
{
    /// <summary>Parses <paramref name="json"/> and hands its root object to <paramref name="read"/>; malformed JSON becomes an error.</summary>
    public static T? Parse<T>(string json, Func<JsonElement, (T? Value, string? Error)> read, out string? error)
        where T : class
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "the spec must be a JSON object";
                return null;
            }

            (var value, error) = read(document.RootElement);
            return error is null ? value : null;
        }
        catch (JsonException e)
        {
            error = $"not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1})";
            return null;
        }
    }

    public static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static IReadOnlyList<string>? StringsOf(JsonElement element, string name, out string? error)
    {
        error = null;
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            error = $"'{name}' must be a list of strings";
            return null;
        }

        return value.EnumerateArray().Select(v => v.GetString()!).ToArray();
    }
}
