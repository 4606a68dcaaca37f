using System.Text.Json;

namespace Conformance.Harness.Roles;

/// <summary>
/// Autobahn's fuzzingserver spec file, read as it is (catalogue spec §3.3): <c>url</c> (where to listen),
/// <c>outdir</c>, <c>cases</c>, <c>exclude-cases</c>, <c>exclude-agent-cases</c>. <c>options</c>,
/// <c>protocols</c> and <c>webport</c> are accepted and ignored (the server never selects a subprotocol
/// anyway); <c>wss://</c> with <c>key</c>/<c>cert</c> is not supported yet and is refused.
/// </summary>
internal sealed record FuzzingServerSpec(
    Uri Url,
    string? OutDir,
    IReadOnlyList<string> Cases,
    IReadOnlyList<string> ExcludeCases,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludeAgentCases)
{
    /// <summary>Parses the spec text; returns null and an error in words when it is malformed.</summary>
    public static FuzzingServerSpec? Parse(string json, out string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "the spec must be a JSON object";
                return null;
            }

            if (StringOf(root, "url") is not { } urlText)
            {
                error = "the spec has no 'url' (where to listen, e.g. \"ws://127.0.0.1:9001\")";
                return null;
            }

            if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss") || string.IsNullOrEmpty(url.Host))
            {
                error = $"'url' must be a ws:// URL such as ws://127.0.0.1:9001, not '{urlText}'";
                return null;
            }

            if (url.Scheme == "wss")
            {
                error = "'url' is wss://: testing clients over TLS is not supported yet (use ws://)";
                return null;
            }

            if (url.Query.Length > 0)
            {
                error = "'url' must not have a query";
                return null;
            }

            var cases = StringsOf(root, "cases", out error);
            if (error is not null)
            {
                return null;
            }

            if (cases is null)
            {
                error = "the spec has no 'cases' list";
                return null;
            }

            var exclude = StringsOf(root, "exclude-cases", out error) ?? [];
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
                    perAgent[entry.Name] = StringsOf(agents, entry.Name, out error) ?? [];
                    if (error is not null)
                    {
                        return null;
                    }
                }
            }

            error = null;
            return new FuzzingServerSpec(url, StringOf(root, "outdir"), cases, exclude, perAgent);
        }
        catch (JsonException e)
        {
            error = $"not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1})";
            return null;
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<string>? StringsOf(JsonElement element, string name, out string? error)
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
