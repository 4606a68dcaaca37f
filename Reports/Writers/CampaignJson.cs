using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Reports.Model;
using Conformance.Reports.Output;
using Conformance.Reports.Reading;

namespace Conformance.Reports.Writers;

/// <summary>
/// <c>fuzz.json</c> (format <see cref="Format"/>): a campaign's figures, coverage and findings, written next to
/// index.json so that <c>report</c> can render the campaign again and merge the shards of one campaign.
/// </summary>
public sealed class CampaignJson : IReportWriter
{
    public const string FileName = "fuzz.json";
    public const string Format = "wsconf-fuzz/1";

    public IEnumerable<ReportFile> Files(ReportContext context) =>
        context.Run.Campaign is { } campaign ? [ReportFile.Bytes(FileName, Render(campaign))] : [];

    public static byte[] Render(CampaignResult c) => AutobahnJson.ToUtf8Bytes(new JsonObject
    {
        ["format"] = Format,
        ["seed"] = c.Seed,
        ["generator"] = c.GeneratorVersion,
        ["shardCount"] = c.ShardCount,
        ["shards"] = new JsonArray([.. c.Shards.Select(s => (JsonNode)new JsonObject
        {
            ["shard"] = s.Shard,
            ["casesRun"] = s.CasesRun,
            ["elapsedSeconds"] = Math.Round(s.ElapsedSeconds, 3),
            ["interrupted"] = s.Interrupted,
        })]),
        ["missingShards"] = new JsonArray([.. c.MissingShards.Select(k => (JsonNode)k)]),
        ["count"] = c.Count,
        ["durationSeconds"] = c.DurationSeconds,
        ["casesRun"] = c.CasesRun,
        ["casesValid"] = c.CasesValid,
        ["elapsedSeconds"] = Math.Round(c.ElapsedSeconds, 3),
        ["casesPerSecond"] = Math.Round(c.CasesPerSecond, 1),
        ["notPassed"] = c.NotPassed,
        ["notReproduced"] = c.NotReproduced,
        ["findingsWritten"] = c.Findings.Count,
        ["interrupted"] = c.Interrupted,
        ["parallel"] = c.Parallel,
        ["timeoutScale"] = c.TimeoutScale,
        ["target"] = c.EmbeddedTarget ? "embedded" : "given",
        ["verdicts"] = Counts(c.Verdicts),
        ["notPassedByViolation"] = Counts(c.NotPassedByViolation),
        ["coverage"] = new JsonObject
        {
            ["kinds"] = Strings(c.Coverage.Kinds),
            ["states"] = Strings(c.Coverage.States),
            ["violations"] = Strings(c.Coverage.Violations),
            ["hit"] = c.Coverage.Hit,
            ["possible"] = c.Coverage.Possible,
            ["cells"] = Counts(c.Coverage.Cells),
        },
        ["findings"] = new JsonArray([.. c.Findings.Select(f => (JsonNode)new JsonObject
        {
            ["agent"] = f.Agent,
            ["caseId"] = f.CaseId,
            ["original"] = f.OriginalCaseId,
            ["signature"] = f.Signature,
            ["originalActions"] = f.OriginalActions,
            ["minimalActions"] = f.MinimalActions,
            ["shrinkRuns"] = f.ShrinkRuns,
            ["shrunk"] = f.Shrunk,
            ["behavior"] = f.Behavior,
            ["close"] = f.Close,
            ["behaviorReason"] = f.BehaviorReason,
            ["closeReason"] = f.CloseReason,
            ["file"] = $"findings/{f.FileStem}.json",
            ["reproduction"] = f.HasReproduction ? $"findings/{f.FileStem}.py" : null,
            ["script"] = Strings(f.Script),
        })]),
    });

    /// <summary>Reads <c>fuzz.json</c> from a results folder; null when the folder has none.</summary>
    /// <exception cref="ResultsReadException">The file is there but unreadable or not in <see cref="Format"/>.</exception>
    public static CampaignResult? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        JsonObject root;
        try
        {
            using var stream = File.OpenRead(path);
            root = JsonNode.Parse(stream) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ResultsReadException($"cannot read '{path}': {e.Message}");
        }

        if (Json.Text(root, "format") != Format)
        {
            throw new ResultsReadException($"'{path}' is not a {Format} file (written by an older wsconf? run the campaign again)");
        }

        var coverage = root["coverage"] as JsonObject ?? [];
        return new CampaignResult
        {
            Seed = Json.Text(root, "seed") ?? "?",
            GeneratorVersion = Json.Int(root, "generator") ?? 0,
            ShardCount = Json.Int(root, "shardCount") ?? 1,
            Shards = [.. Objects(root["shards"]).Select(s => new ShardFigures(Json.Int(s, "shard") ?? 1, Json.Long(s, "casesRun") ?? 0, Json.Number(s, "elapsedSeconds") ?? 0, Json.Bool(s, "interrupted")))],
            Count = Json.Long(root, "count"),
            DurationSeconds = Json.Number(root, "durationSeconds"),
            CasesValid = Json.Long(root, "casesValid") ?? 0,
            NotPassed = Json.Long(root, "notPassed") ?? 0,
            NotReproduced = Json.Long(root, "notReproduced") ?? 0,
            Parallel = Json.Int(root, "parallel") ?? 0,
            TimeoutScale = Json.Number(root, "timeoutScale") ?? 1,
            EmbeddedTarget = Json.Text(root, "target") == "embedded",
            Verdicts = Counts(root["verdicts"]),
            NotPassedByViolation = Counts(root["notPassedByViolation"]),
            Coverage = new CoverageGrid(Strings(coverage["kinds"]), Strings(coverage["states"]), Strings(coverage["violations"]), Counts(coverage["cells"])),
            Findings = [.. Objects(root["findings"]).Select(Finding)],
        };
    }

    private static CampaignFinding Finding(JsonObject f)
    {
        string file = Json.Text(f, "file") ?? "";
        return new CampaignFinding
        {
            Agent = Json.Text(f, "agent") ?? "",
            CaseId = Json.Text(f, "caseId") ?? "",
            OriginalCaseId = Json.Text(f, "original") ?? "",
            Signature = Json.Text(f, "signature") ?? "",
            OriginalActions = Json.Int(f, "originalActions") ?? 0,
            MinimalActions = Json.Int(f, "minimalActions") ?? 0,
            ShrinkRuns = Json.Int(f, "shrinkRuns") ?? 0,
            Shrunk = f["shrunk"] is null || Json.Bool(f, "shrunk"),
            Behavior = Json.Text(f, "behavior") ?? "",
            Close = Json.Text(f, "close") ?? "",
            BehaviorReason = Json.Text(f, "behaviorReason") ?? "",
            CloseReason = Json.Text(f, "closeReason") ?? "",
            FileStem = Path.GetFileNameWithoutExtension(Path.GetFileName(file)),
            HasReproduction = Json.Text(f, "reproduction") is not null,
            Script = Strings(f["script"]),
        };
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();

    private static string[] Strings(JsonNode? node) => [.. (node as JsonArray ?? []).Select(Json.Describe)];

    private static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(s => (JsonNode)s)]);

    private static Dictionary<string, long> Counts(JsonNode? node) =>
        (node as JsonObject ?? []).Where(p => Json.Number(p.Value) is not null)
            .ToDictionary(p => p.Key, p => (long)Json.Number(p.Value)!.Value, StringComparer.Ordinal);

    private static JsonObject Counts(IReadOnlyDictionary<string, long> counts)
    {
        var obj = new JsonObject();
        foreach (var (key, n) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            obj[key] = n;
        }

        return obj;
    }
}
