using System.Text.Json;

namespace Conformance.Harness.Running;

/// <summary>One server entry of an Autobahn fuzzingclient spec.</summary>
internal sealed record SpecServer(string? Agent, string Url, string? Origin, IReadOnlyList<string> Protocols);

/// <summary>
/// Autobahn's fuzzingclient spec file, read as it is (spec §3.2): outdir, options, servers
/// (agent, url, options, origin, protocols), cases, exclude-cases, exclude-agent-cases.
/// Options Autobahn reads that have no meaning here are accepted and ignored.
/// </summary>
internal sealed record FuzzingClientSpec(
    string? OutDir,
    IReadOnlyList<SpecServer> Servers,
    IReadOnlyList<string> Cases,
    IReadOnlyList<string> ExcludeCases,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludeAgentCases)
{
    /// <summary>Parses the spec text; returns null and an error in words when it is malformed.</summary>
    public static FuzzingClientSpec? Parse(string json, out string? error)
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

            var servers = new List<SpecServer>();
            if (root.TryGetProperty("servers", out var list))
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    error = "'servers' must be a list";
                    return null;
                }

                foreach (var server in list.EnumerateArray())
                {
                    if (server.ValueKind != JsonValueKind.Object || StringOf(server, "url") is not { } url)
                    {
                        error = "every entry of 'servers' needs a 'url'";
                        return null;
                    }

                    servers.Add(new SpecServer(StringOf(server, "agent"), url, StringOf(server, "origin"), StringsOf(server, "protocols", out _) ?? []));
                }
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
            return new FuzzingClientSpec(StringOf(root, "outdir"), servers, cases, exclude, perAgent);
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
