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

                servers.Add(new SpecServer(SpecJson.StringOf(server, "agent"), url, SpecJson.StringOf(server, "origin"), SpecJson.StringsOf(server, "protocols", out _) ?? []));
            }
        }

        var selection = SpecSelection.Read(root, out string? error);
        return selection is null
            ? (null, error)
            : (new FuzzingClientSpec(SpecJson.StringOf(root, "outdir"), servers, selection.Cases, selection.ExcludeCases, selection.ExcludeAgentCases), null);
    }
}
