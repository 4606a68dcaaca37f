using System.Text.Json.Nodes;
using Conformance.Reports.Model;
using Conformance.Reports.Reading;

namespace Conformance.Reports.Writers;

/// <summary>
/// <c>wsconf-run.json</c> in the results folder: the run's facts and the selected cases, so <c>report DIR</c> can
/// render the same report again (with Missing for the cases that never finished). Written when the run starts
/// and again when it ends; Autobahn has no such file and ignores it.
/// </summary>
public static class RunInfoFile
{
    public const string FileName = "wsconf-run.json";

    public static byte[] Render(RunInfo info, IReadOnlyList<CatalogueEntry> selection) => AutobahnJson.ToUtf8Bytes(new JsonObject
    {
        ["harnessVersion"] = info.HarnessVersion,
        ["catalogueVersion"] = info.CatalogueVersion,
        ["mode"] = info.Mode,
        ["started"] = AutobahnJson.Timestamp(info.Started),
        ["finished"] = info.Finished is { } finished ? AutobahnJson.Timestamp(finished) : null,
        ["targets"] = Map(info.Targets),
        ["options"] = Map(info.Options),
        ["commandLine"] = info.CommandLine,
        ["excludedForAgent"] = new JsonObject(info.ExcludedForAgent.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(id => (JsonNode)id)])))),
        ["selection"] = new JsonArray([.. selection.Select(e => (JsonNode)new JsonObject
        {
            ["id"] = e.Id,
            ["category"] = e.Category,
            ["categoryName"] = e.CategoryName,
            ["subcategory"] = e.SubcategoryTitle,
            ["description"] = e.Description,
        })]),
    });

    public static void Write(string folder, RunInfo info, IReadOnlyList<CatalogueEntry> selection) =>
        Output.AtomicFile.Write(Path.Combine(folder, FileName), Render(info, selection));

    /// <summary>Reads the file back; null when it is not there. Fields that are missing or of the wrong type get defaults.</summary>
    public static (RunInfo Info, IReadOnlyList<CatalogueEntry> Selection)? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject root)
        {
            throw new FormatException($"{FileName} is not a JSON object");
        }

        var info = new RunInfo
        {
            HarnessVersion = Json.Text(root, "harnessVersion") ?? "unknown",
            CatalogueVersion = Json.Text(root, "catalogueVersion") ?? "unknown",
            Mode = Json.Text(root, "mode") ?? "server",
            Started = Json.Time(root, "started") ?? DateTimeOffset.UnixEpoch,
            Finished = Json.Time(root, "finished"),
            Targets = Json.Strings(root["targets"]),
            Options = Json.Strings(root["options"]),
            CommandLine = Json.Text(root, "commandLine"),
            ExcludedForAgent = (root["excludedForAgent"] as JsonObject ?? []).ToDictionary(
                e => e.Key,
                e => (IReadOnlyList<string>)(e.Value as JsonArray ?? []).Select(id => id?.GetValue<string>() ?? "").Where(id => id.Length > 0).ToArray(),
                StringComparer.Ordinal),
        };
        var selection = (root["selection"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(e => new CatalogueEntry(Json.Text(e, "id") ?? "", (int)(Json.Number(e, "category") ?? 0), Json.Text(e, "categoryName") ?? "", Json.Text(e, "subcategory"), Json.Text(e, "description") ?? ""))
            .Where(e => e.Id.Length > 0)
            .ToList();
        return (info, selection);
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map)
        {
            obj[key] = value;
        }

        return obj;
    }
}
