using System.Text.Json;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>
/// Finding files (<c>findings/*.json</c>, format <see cref="Format"/>) read back as cases: the minimal
/// script, its case ID and where it came from. The expectation is the oracle's, computed again from
/// the script, so a file edited by hand is judged by the same rules.
/// </summary>
public static class FindingFile
{
    public const string Format = "wsconf-finding/1";

    public static Case Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
        {
            throw new FormatException($"not a {Format} file (\"format\" is missing or different)");
        }

        var id = CaseId.Parse(root.Text("caseId"));
        FuzzOrigin? origin = null;
        if (root.TryGetProperty("generator", out var g) && g.ValueKind == JsonValueKind.Object)
        {
            origin = new FuzzOrigin(g.Int("version"), g.Field("seed").GetUInt64(), g.Field("index").GetInt64());
        }

        var actions = ActionJson.Read(root.Field("minimal").Field("actions"));
        return FuzzCase.Build(id, actions, origin, out _, ActionJson.ReadDeflate(root));
    }

    /// <summary>Every finding file of a folder, sorted by case ID; a file that cannot be read is an error naming it.</summary>
    public static IReadOnlyList<Case> ReadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"no folder '{folder}'");
        }

        var cases = new List<Case>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                cases.Add(Read(path));
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException)
            {
                throw new FormatException($"{Path.GetFileName(path)}: {e.Message}");
            }
            catch (InvalidOperationException e)
            {
                throw new FormatException($"{Path.GetFileName(path)}: a value has the wrong JSON type ({e.Message})");
            }
        }

        var duplicate = cases.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        return duplicate is not null
            ? throw new FormatException($"case {duplicate.Key} appears in more than one file")
            : cases.OrderBy(c => c.Id).ToArray();
    }
}
