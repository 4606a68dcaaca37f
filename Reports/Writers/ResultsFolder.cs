using Conformance.Reports.Model;
using Conformance.Reports.Output;

namespace Conformance.Reports.Writers;

/// <summary>
/// The output folder of a run, kept current while cases finish: each <see cref="Add"/> writes that case's
/// JSON at once and rewrites <c>index.json</c> from every case added so far. Safe to call from many threads.
/// </summary>
/// <remarks>
/// Every file is written with <see cref="AtomicFile"/>, so a killed run leaves each file either in its previous
/// state or in its new one. The case file is written before the index that names it. When a new agent's name
/// cleans to the same file name as an earlier agent's, the earlier agent's files are renamed to their unique
/// names (<see cref="ReportFileNames"/>) before the index names them, so no agent's file is overwritten.
/// </remarks>
public sealed class ResultsFolder
{
    private readonly Dictionary<(string Agent, string CaseId), CaseResult> _byAgentAndCase = [];
    private readonly Lock _gate = new();
    private readonly CaseJsonWriter _caseWriter = new();
    private readonly AutobahnIndexWriter _indexWriter = new();
    private ReportFileNames _names = ReportFileNames.For([]);

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

        // One lock around all files: the index and the case files on disk always agree, even when the
        // same agent and case is added twice from different threads.
        lock (_gate)
        {
            bool newAgent = !_byAgentAndCase.Keys.Any(k => k.Agent == result.Agent);
            var names = newAgent ? ReportFileNames.For(_byAgentAndCase.Keys.Select(k => k.Agent).Append(result.Agent)) : _names;
            if (newAgent)
            {
                RenameMovedFiles(_names, names);
                _names = names;
            }

            AtomicFile.Write(Path.Combine(OutDir, names.CaseFile(result.Agent, result.CaseId, "json")), caseJson);
            _byAgentAndCase[(result.Agent, result.CaseId)] = result; // a re-run replaces the earlier result
            AtomicFile.Write(IndexPath, _indexWriter.Render(_byAgentAndCase.Values));
        }
    }

    private void RenameMovedFiles(ReportFileNames before, ReportFileNames after)
    {
        foreach (var (agent, caseId) in _byAgentAndCase.Keys)
        {
            string from = Path.Combine(OutDir, before.CaseFile(agent, caseId, "json"));
            string to = Path.Combine(OutDir, after.CaseFile(agent, caseId, "json"));
            if (from != to && File.Exists(from))
            {
                File.Move(from, to, overwrite: true);
            }
        }
    }
}
