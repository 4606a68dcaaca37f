using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Reading;

/// <summary>
/// Reads a results folder back into the result model: <c>index.json</c>, the per-case JSON files it names and,
/// when present, <c>wsconf-run.json</c>. Reads folders written by wsconf and by Autobahn|Testsuite (whose
/// wire log entries are positional arrays and whose expected/received events are tuples). Whatever cannot be
/// mapped is kept as text or left out with a warning; only a missing or malformed index.json is an error.
/// </summary>
public sealed class ResultsReader(Func<string, CatalogueEntry?>? catalogue = null)
{
    /// <summary>
    /// Keep each result as a <see cref="CaseResult.Summary"/> pointing at its JSON file (<see cref="CaseResult.DetailsFile"/>):
    /// one case file is parsed at a time and memory does not grow with wire logs; a case page reads its details back.
    /// </summary>
    public bool Summaries { get; init; }

    /// <exception cref="ResultsReadException">No index.json (and no fuzz.json), or a malformed one.</exception>
    public ResultsFolderContents Read(string folder)
    {
        var campaign = CampaignJson.Read(folder);
        var index = campaign is not null && !File.Exists(Path.Combine(folder, AutobahnIndexWriter.FileName))
            ? new Dictionary<string, IReadOnlyDictionary<string, IndexEntry>>() // a campaign without findings wrote no case
            : ReadIndex(folder);
        var warnings = new List<string>();
        (RunInfo Info, IReadOnlyList<CatalogueEntry> Selection)? runFile = null;
        try
        {
            runFile = RunInfoFile.Read(folder);
        }
        catch (Exception e) when (e is JsonException or FormatException or IOException)
        {
            warnings.Add($"{RunInfoFile.FileName} ignored: {e.Message}");
        }

        var results = new List<CaseResult>();
        bool autobahn = false;
        foreach (var (agent, cases) in index)
        {
            foreach (var (caseId, entry) in cases.OrderBy(c => c.Key, CaseIdOrder.Instance))
            {
                var record = ReadCaseFile(folder, entry.ReportFile, warnings);
                autobahn |= record is not null && record["categoryName"] is null;
                var result = CaseRecord.ToResult(agent, caseId, entry, record, catalogue?.Invoke(caseId));
                results.Add(Summaries && record is not null ? result.Summary() with { DetailsFile = Path.GetFullPath(Path.Combine(folder, entry.ReportFile!)) } : result);
            }
        }

        var info = runFile?.Info ?? new RunInfo
        {
            HarnessVersion = autobahn ? "Autobahn|Testsuite (read back)" : "unknown",
            CatalogueVersion = "unknown",
            Mode = results.Any(r => r.TesterIsServer) ? "client" : "server",
            Started = results.Count > 0 ? results.Min(r => r.Started) : DateTimeOffset.UnixEpoch,
            Finished = results.Count > 0 ? results.Max(r => r.Started.AddMilliseconds(Math.Max(0, r.DurationMs))) : null,
            Targets = index.Keys.ToDictionary(a => a, _ => "", StringComparer.Ordinal),
        };
        var run = new RunResult(info, results) { Selection = runFile?.Selection ?? [], Campaign = campaign };
        return new ResultsFolderContents(run, warnings, autobahn ? "Autobahn|Testsuite" : "wsconf");
    }

    /// <summary>index.json (given the folder or the file): agent → case ID → entry.</summary>
    /// <exception cref="ResultsReadException">Missing, unreadable or not shaped like an index.json.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> ReadIndex(string folderOrFile)
    {
        string path = Directory.Exists(folderOrFile) ? Path.Combine(folderOrFile, AutobahnIndexWriter.FileName) : folderOrFile;
        if (!File.Exists(path))
        {
            throw new ResultsReadException(Directory.Exists(folderOrFile)
                ? $"'{folderOrFile}' is not a results folder: it has no {AutobahnIndexWriter.FileName}"
                : $"'{folderOrFile}' does not exist");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultsReadException($"cannot read '{path}': {e.Message}");
        }
        catch (JsonException e)
        {
            throw new ResultsReadException($"'{path}' is not valid JSON: {e.Message}");
        }

        if (root is not JsonObject agents || agents.Any(a => a.Value is not JsonObject))
        {
            throw new ResultsReadException($"'{path}' is not an index.json (an object of agent → case ID → result)");
        }

        return agents.ToDictionary(
            a => a.Key,
            a => (IReadOnlyDictionary<string, IndexEntry>)((JsonObject)a.Value!).ToDictionary(c => c.Key, c => IndexEntry.From(c.Value as JsonObject ?? []), StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    private static JsonObject? ReadCaseFile(string folder, string? reportFile, List<string> warnings)
    {
        if (string.IsNullOrEmpty(reportFile) || Path.GetFileName(reportFile) != reportFile)
        {
            warnings.Add($"no usable reportfile name '{reportFile}'");
            return null;
        }

        try
        {
            using var file = File.OpenRead(Path.Combine(folder, reportFile));
            return JsonNode.Parse(file) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            warnings.Add($"{reportFile}: {e.Message}");
            return null;
        }
    }
}

/// <summary>One line of index.json.</summary>
public sealed record IndexEntry(string Behavior, string BehaviorClose, double? Duration, int? RemoteCloseCode, string? ReportFile)
{
    public static IndexEntry From(JsonObject entry) => new(
        Json.Text(entry, "behavior") ?? "FAILED",
        Json.Text(entry, "behaviorClose") ?? "FAILED",
        Json.Number(entry, "duration"),
        Json.Int(entry, "remoteCloseCode"),
        Json.Text(entry, "reportfile"));
}

public sealed record ResultsFolderContents(RunResult Run, IReadOnlyList<string> Warnings, string Format);

public sealed class ResultsReadException(string message) : Exception(message);
