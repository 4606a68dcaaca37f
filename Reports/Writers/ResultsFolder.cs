using Conformance.Reports.Model;

namespace Conformance.Reports.Writers;

/// <summary>
/// The output folder of a run, kept current while cases finish: each <see cref="Add"/> writes that case's
/// JSON at once and rewrites <c>index.json</c> from every case added so far. Safe to call from many threads.
/// </summary>
/// <remarks>
/// Every file is written under a hidden temporary name in the same folder and then renamed over its
/// target, so a run that is killed leaves each file either in its previous state or in its new one, never
/// half written. (Renames are atomic against a killed process; surviving a power cut would also need an
/// fsync, which is not done.) The case file is written before the index that names it.
/// </remarks>
public sealed class ResultsFolder
{
    private readonly Dictionary<(string Agent, string CaseId), CaseResult> _byAgentAndCase = [];
    private readonly Lock _gate = new();
    private readonly CaseJsonWriter _caseWriter = new();
    private readonly AutobahnIndexWriter _indexWriter = new();

    public ResultsFolder(string outDir)
    {
        OutDir = Path.GetFullPath(outDir);
        Directory.CreateDirectory(OutDir);
    }

    public string OutDir { get; }

    public string IndexPath => Path.Combine(OutDir, AutobahnIndexWriter.FileName);

    public void Add(CaseResult result)
    {
        byte[] caseJson = _caseWriter.Render(result);

        // One lock around both files: the index and the case files on disk always agree, even when the
        // same agent and case is added twice from different threads.
        lock (_gate)
        {
            ReplaceFile(Path.Combine(OutDir, result.ReportFile), caseJson);

            _byAgentAndCase[(result.Agent, result.CaseId)] = result; // a re-run replaces the earlier result
            ReplaceFile(IndexPath, _indexWriter.Render(_byAgentAndCase.Values));
        }
    }

    private static void ReplaceFile(string target, byte[] contents)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, contents);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // no-op once moved
        }
    }
}
