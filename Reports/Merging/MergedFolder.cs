using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Reports.Model;
using Conformance.Reports.Output;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Merging;

/// <summary>
/// Lays a merged run out as one results folder: each case's JSON file copied under the merged run's file names (its
/// case number renumbered when the merged selection moved it), index.json, wsconf-run.json and the campaigns'
/// <c>findings/</c>. One case file is read at a time. The inputs are only read; the output may not be one of them.
/// </summary>
public static class MergedFolder
{
    public const string FindingsFolder = "findings";

    /// <returns>The run with every summary pointing at its copy in <paramref name="outDir"/>.</returns>
    /// <exception cref="MergeException">The output folder is an input, or two inputs have a finding file of the same name.</exception>
    /// <exception cref="IOException">A file cannot be read or written.</exception>
    public static RunResult Write(RunResult merged, IReadOnlyList<string> inputFolders, string outDir)
    {
        string output = Full(outDir);
        if (inputFolders.FirstOrDefault(f => Full(f) == output) is { } input)
        {
            throw new MergeException($"the output folder '{outDir}' is one of the folders being merged ('{input}'): give a new folder with --out");
        }

        var findings = FindingFiles(inputFolders);
        Directory.CreateDirectory(output);
        var names = ReportFileNames.For(merged);
        var results = new List<CaseResult>(merged.Results.Count);
        foreach (var result in merged.Results)
        {
            string target = Path.Combine(output, names.CaseFile(result.Agent, result.CaseId, "json"));
            if (result.DetailsFile is { } source)
            {
                AtomicFile.Write(target, Renumbered(source, result.CaseIndex));
                results.Add(result with { DetailsFile = target });
            }
            else
            {
                AtomicFile.Write(target, new CaseJsonWriter().Render(result));
                results.Add(result.Summary() with { DetailsFile = target });
            }
        }

        foreach (var (name, source) in findings)
        {
            Directory.CreateDirectory(Path.Combine(output, FindingsFolder));
            File.Copy(source, Path.Combine(output, FindingsFolder, name), overwrite: true);
        }

        var run = merged with { Results = results };
        AtomicFile.Write(Path.Combine(output, AutobahnIndexWriter.FileName), new AutobahnIndexWriter().Render(results));
        RunInfoFile.Write(output, run.Info, run.Selection);
        return run;
    }

    /// <summary>The case file as it was, with <c>case</c> set to its number in the merged run.</summary>
    private static byte[] Renumbered(string source, int caseIndex)
    {
        byte[] bytes = File.ReadAllBytes(source);
        JsonObject record;
        try
        {
            record = JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new IOException($"cannot read '{source}': {e.Message}", e);
        }

        if (record["case"] is JsonValue n && n.TryGetValue(out int was) && was == caseIndex)
        {
            return bytes;
        }

        record["case"] = caseIndex;
        return AutobahnJson.ToUtf8Bytes(record, CaseJsonWriter.IntegerKeyedMaps);
    }

    /// <summary>Every input's <c>findings/</c> file by name; the same name in two inputs is an error (shards never share a case ID).</summary>
    private static Dictionary<string, string> FindingFiles(IReadOnlyList<string> inputFolders)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string folder in inputFolders)
        {
            string findings = Path.Combine(folder, FindingsFolder);
            if (!Directory.Exists(findings))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(findings))
            {
                string name = Path.GetFileName(file);
                if (!files.TryAdd(name, file))
                {
                    throw new MergeException($"finding file '{name}' is in both '{Path.GetDirectoryName(Path.GetDirectoryName(files[name]))}' and '{folder}'");
                }
            }
        }

        return files;
    }

    private static string Full(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
}
