using System.Text.Json;

namespace Conformance.Harness.Running;

/// <summary>
/// Autobahn's fuzzingserver spec file, read as it is (catalogue spec §3.3): <c>url</c> (where to listen),
/// <c>outdir</c>, <c>cases</c>, <c>exclude-cases</c>, <c>exclude-agent-cases</c>. <c>options</c>,
/// <c>protocols</c> and <c>webport</c> are accepted and ignored (the server never selects a subprotocol
/// anyway); a <c>wss://</c> url serves TLS (as <c>--tls</c>: a generated certificate, or <c>--cert</c>/<c>--key</c>;
/// the spec's own <c>key</c>/<c>cert</c> are not read).
/// </summary>
internal sealed record FuzzingServerSpec(
    Uri Url,
    string? OutDir,
    IReadOnlyList<string> Cases,
    IReadOnlyList<string> ExcludeCases,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludeAgentCases)
{
    /// <summary>Parses the spec text; returns null and an error in words when it is malformed.</summary>
    public static FuzzingServerSpec? Parse(string json, out string? error) => SpecJson.Parse(json, Read, out error);

    private static (FuzzingServerSpec?, string?) Read(JsonElement root)
    {
        if (SpecJson.StringOf(root, "url") is not { } urlText)
        {
            return (null, "the spec has no 'url' (where to listen, e.g. \"ws://127.0.0.1:9001\")");
        }

        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss") || string.IsNullOrEmpty(url.Host))
        {
            return (null, $"'url' must be a ws:// or wss:// URL such as ws://127.0.0.1:9001, not '{urlText}'");
        }

        if (url.Query.Length > 0)
        {
            return (null, "'url' must not have a query");
        }

        var selection = SpecSelection.Read(root, out string? error);
        return selection is null
            ? (null, error)
            : (new FuzzingServerSpec(url, SpecJson.StringOf(root, "outdir"), selection.Cases, selection.ExcludeCases, selection.ExcludeAgentCases), null);
    }
}
