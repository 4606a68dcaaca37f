using Conformance.Reports.Gating;
using Conformance.Reports.Model;

namespace Conformance.Reports.Output;

/// <summary>
/// One output format, like a BenchmarkDotNet exporter: given the run and the gate's decision, the files it produces.
/// Writers only describe files; <see cref="ReportFiles"/> writes them, each one atomically. A new format is one
/// class implementing this and one command-line option naming its file.
/// </summary>
public interface IReportWriter
{
    IEnumerable<ReportFile> Files(ReportContext context);
}

/// <summary>What every writer gets: the immutable run, the gate's findings and where the report goes.</summary>
/// <param name="OutDir">The report folder; relative file names are written there.</param>
/// <param name="JsonDir">Where the per-case JSON files are, when not in <paramref name="OutDir"/> (for links).</param>
public sealed record ReportContext(RunResult Run, GateResult Gate, string OutDir, string? JsonDir = null)
{
    private ReportFileNames? _names;

    /// <summary>Per-agent file names, unique even when two agent names clean to the same text.</summary>
    public ReportFileNames Names => _names ??= ReportFileNames.For(Run);

    public string PathOf(string file) => Path.GetFullPath(Path.Combine(OutDir, file));

    /// <summary>The full result: a summary (<see cref="CaseResult.IsSummary"/>) with its details read back from its JSON file.</summary>
    public CaseResult Detailed(CaseResult result) =>
        result.IsSummary ? Reading.CaseDetails.Restore(result, result.DetailsFile ?? Path.GetFullPath(Path.Combine(JsonDir ?? OutDir, Names.CaseFile(result.Agent, result.CaseId, "json")))) : result;
}

/// <summary>One file of a report: its name (relative to the report folder, or absolute) and how to write its bytes.</summary>
public sealed record ReportFile(string Name, Action<Stream> Write)
{
    public static ReportFile Bytes(string name, byte[] contents) => new(name, stream => stream.Write(contents));
}
