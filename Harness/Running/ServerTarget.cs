namespace Conformance.Harness.Running;

/// <summary>A server under test: the name it is reported under and where it listens.</summary>
internal sealed record ServerTarget(string Agent, Uri Url)
{
    public string? Origin { get; init; }

    public IReadOnlyList<string> Protocols { get; init; } = [];

    /// <summary>Extra header fields for every opening handshake (<c>--header</c>, the spec's <c>headers</c>), as name and value.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
