using System.Text.Json.Nodes;
using Conformance.Reports.Model;
using Conformance.Reports.Output;

namespace Conformance.Reports.Writers;

/// <summary>
/// Writes <c>index.json</c> exactly as Autobahn|Testsuite does, so tools that read Autobahn's reports read
/// ours: raw agent name → case ID → <c>behavior</c>, <c>behaviorClose</c>, <c>duration</c> (whole ms),
/// <c>remoteCloseCode</c> (number or null) and <c>reportfile</c> (the per-case JSON file name).
/// </summary>
/// <remarks>When one agent has several results for a case, the last one wins, as in Autobahn.</remarks>
public sealed class AutobahnIndexWriter : IReportWriter
{
    public const string FileName = "index.json";

    public IEnumerable<ReportFile> Files(ReportContext context) => [ReportFile.Bytes(FileName, Render(context.Run.Results))];

    public byte[] Render(IReadOnlyCollection<CaseResult> results) => AutobahnJson.ToUtf8Bytes(Build(results));

    public static JsonObject Build(IReadOnlyCollection<CaseResult> results)
    {
        var names = ReportFileNames.For(results.Select(r => r.Agent));
        var agents = new JsonObject();
        foreach (var result in results)
        {
            if (agents[result.Agent] is not JsonObject cases)
            {
                cases = new JsonObject();
                agents[result.Agent] = cases;
            }

            cases[result.CaseId] = Entry(result, names.CaseFile(result.Agent, result.CaseId, "json"));
        }

        return agents;
    }

    private static JsonObject Entry(CaseResult result, string reportFile) => new()
    {
        ["behavior"] = result.Behavior.Label(),
        ["behaviorClose"] = result.CloseBehavior.Label(),
        ["duration"] = AutobahnJson.WholeMilliseconds(result.DurationMs),
        ["remoteCloseCode"] = result.Closing.RemoteCloseCode,
        ["reportfile"] = reportFile,
    };
}
