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
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "the spec must be a JSON object";
                return null;
            }

            if (DuplicateKey(document.RootElement) is { } duplicate)
            {
                error = $"the key '{Conformance.Reports.Text.Clip.Visible(duplicate, 60)}' appears twice in one object (which one would count is not defined: remove one)";
                return null;
            }

            (var value, error) = read(document.RootElement);
            return error is null ? value : null;
        }
        catch (JsonException e)
        {
            string where = $"line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}";
            error = e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? $"JSON nested deeper than {MaxDepth} levels ({where}): a spec file is a flat object of lists"
                : $"not valid JSON ({where})";
            return null;
        }
    }

    /// <summary>Arrays and objects inside one another; Autobahn's specs need three.</summary>
    public const int MaxDepth = 64;

    /// <summary>The first key given twice in one object, anywhere in the document (RFC 8259 §4: names SHOULD be unique).</summary>
    private static string? DuplicateKey(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!names.Add(property.Name))
                    {
                        return property.Name;
                    }

                    if (DuplicateKey(property.Value) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (DuplicateKey(item) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
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
