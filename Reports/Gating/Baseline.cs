using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Gating;

/// <summary>The verdicts a case is known to get (a line of a baseline file), and why.</summary>
public sealed record BaselineEntry(Behavior Behavior, CloseBehavior CloseBehavior, string? Reason)
{
    public bool Matches(CaseResult result) => result.Behavior == Behavior && result.CloseBehavior == CloseBehavior;

    public override string ToString() => $"{Behavior.Label()} / {CloseBehavior.Label()}";
}

/// <summary>
/// Expected verdicts per case ID, for every agent: a JSON object
/// <c>{"6.4.1": {"behavior": "NON-STRICT", "behaviorClose": "OK", "reason": "…"}, …}</c>. Labels are
/// Autobahn's; <c>reason</c> is free text for the reader. Cases not listed are expected to pass the gate.
/// </summary>
public sealed class Baseline
{
    public Baseline(IReadOnlyDictionary<string, BaselineEntry> cases) => Cases = cases;

    public IReadOnlyDictionary<string, BaselineEntry> Cases { get; }

    /// <exception cref="FormatException">Not a JSON object of case ID → entry, or a verdict label that does not exist.</exception>
    public static Baseline Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject cases)
        {
            throw new FormatException("expected a JSON object of case ID → {behavior, behaviorClose, reason}");
        }

        var entries = new Dictionary<string, BaselineEntry>(StringComparer.Ordinal);
        foreach (var (id, value) in cases)
        {
            if (value is not JsonObject entry)
            {
                throw new FormatException($"case '{id}': expected an object with behavior, behaviorClose and reason");
            }

            entries[id] = new BaselineEntry(
                ParseLabel(id, "behavior", Text(entry, "behavior") ?? "OK", VerdictStyleLabels.Behaviors, VerdictParsing.ParseBehavior),
                ParseLabel(id, "behaviorClose", Text(entry, "behaviorClose") ?? "OK", VerdictStyleLabels.Closes, VerdictParsing.ParseClose),
                Text(entry, "reason"));
        }

        return new Baseline(entries);
    }

    public static Baseline Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>A baseline that accepts the run as it is: every case whose verdicts are not both OK.</summary>
    public static Baseline From(IEnumerable<CaseResult> results) => new(results
        .Where(r => r.Behavior != Behavior.Ok || r.CloseBehavior != CloseBehavior.Ok)
        .GroupBy(r => r.CaseId, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => new BaselineEntry(g.Last().Behavior, g.Last().CloseBehavior, g.Last().BehaviorReason), StringComparer.Ordinal));

    public byte[] ToJson()
    {
        var root = new JsonObject();
        foreach (var (id, entry) in Cases)
        {
            root[id] = new JsonObject
            {
                ["behavior"] = entry.Behavior.Label(),
                ["behaviorClose"] = entry.CloseBehavior.Label(),
                ["reason"] = entry.Reason,
            };
        }

        return AutobahnJson.ToUtf8Bytes(root);
    }

    private static string? Text(JsonObject entry, string name) =>
        entry[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? s) => s,
            var other => throw new FormatException($"'{name}' must be a string, not {other.ToJsonString()}"),
        };

    private static T ParseLabel<T>(string id, string field, string label, IReadOnlySet<string> known, Func<string, T> parse) =>
        known.Contains(label) ? parse(label) : throw new FormatException($"case '{id}': {field} '{label}' is not one of {string.Join(", ", known)}");
}

internal static class VerdictStyleLabels
{
    public static readonly IReadOnlySet<string> Behaviors = Enum.GetValues<Behavior>().Select(b => b.Label()).ToHashSet(StringComparer.Ordinal);

    public static readonly IReadOnlySet<string> Closes = Enum.GetValues<CloseBehavior>().Select(c => c.Label()).ToHashSet(StringComparer.Ordinal);
}
