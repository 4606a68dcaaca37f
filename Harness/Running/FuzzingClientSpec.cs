using System.Text.Json;

namespace Conformance.Harness.Running;

/// <summary>One server entry of an Autobahn fuzzingclient spec.</summary>
internal sealed record SpecServer(string? Agent, string Url, string? Origin, IReadOnlyList<string> Protocols)
{
    /// <summary>Extra request fields for every handshake with this server (ours: <c>"headers": {"Name": "value"}</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

/// <summary>
/// Autobahn's fuzzingclient spec file, read as it is (spec §3.2): outdir, options, servers
/// (agent, url, options, origin, protocols, and our headers), cases, exclude-cases, exclude-agent-cases.
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
    public static FuzzingClientSpec? Parse(string json, out string? error) => SpecJson.Parse(json, Read, out error);

    private static (FuzzingClientSpec?, string?) Read(JsonElement root)
    {
        var servers = new List<SpecServer>();
        if (root.TryGetProperty("servers", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                return (null, "'servers' must be a list");
            }

            foreach (var server in list.EnumerateArray())
            {
                if (server.ValueKind != JsonValueKind.Object || SpecJson.StringOf(server, "url") is not { } url)
                {
                    return (null, "every entry of 'servers' needs a 'url'");
                }

                var protocols = SpecJson.StringsOf(server, "protocols", out string? protocolsError) ?? [];
                if (protocolsError is not null)
                {
                    return (null, $"server '{url}': {protocolsError}");
                }

                var headers = new List<KeyValuePair<string, string>>();
                if (server.TryGetProperty("headers", out var fields))
                {
                    if (fields.ValueKind != JsonValueKind.Object || fields.EnumerateObject().Any(f => f.Value.ValueKind != JsonValueKind.String))
                    {
                        return (null, $"server '{url}': 'headers' must map header names to string values");
                    }

                    headers.AddRange(fields.EnumerateObject().Select(f => new KeyValuePair<string, string>(f.Name, f.Value.GetString()!)));
                }

                servers.Add(new SpecServer(SpecJson.StringOf(server, "agent"), url, SpecJson.StringOf(server, "origin"), protocols) { Headers = headers });
            }
        }

        var selection = SpecSelection.Read(root, out string? error);
        return selection is null
            ? (null, error)
            : (new FuzzingClientSpec(SpecJson.StringOf(root, "outdir"), servers, selection.Cases, selection.ExcludeCases, selection.ExcludeAgentCases), null);
    }
}
