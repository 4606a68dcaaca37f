using System.Text.Json.Nodes;
using Conformance.Reports.Model;

namespace Conformance.Reports.Writers;

/// <summary>
/// Writes <c>index.json</c> exactly as Autobahn|Testsuite does, so tools that read Autobahn's reports read
/// ours: raw agent name → case ID → <c>behavior</c>, <c>behaviorClose</c>, <c>duration</c> (whole ms),
/// <c>remoteCloseCode</c> (number or null) and <c>reportfile</c> (the per-case JSON file name).
/// </summary>
/// <remarks>When one agent has several results for a case, the last one wins, as in Autobahn.</remarks>
public sealed class AutobahnIndexWriter
{
    public const string FileName = "index.json";

    public byte[] Render(IEnumerable<CaseResult> results) => AutobahnJson.ToUtf8Bytes(Build(results));

    public void Write(RunResult run, Stream output) => output.Write(Render(run.Results));

    public static JsonObject Build(IEnumerable<CaseResult> results)
    {
        var agents = new JsonObject();
        foreach (var result in results)
        {
            if (agents[result.Agent] is not JsonObject cases)
            {
                cases = new JsonObject();
                agents[result.Agent] = cases;
            }

            cases[result.CaseId] = Entry(result);
        }

        return agents;
    }

    private static JsonObject Entry(CaseResult result) => new()
    {
        ["behavior"] = result.Behavior.Label(),
        ["behaviorClose"] = result.CloseBehavior.Label(),
        ["duration"] = AutobahnJson.WholeMilliseconds(result.DurationMs),
        ["remoteCloseCode"] = result.Closing.RemoteCloseCode,
        ["reportfile"] = result.ReportFile,
    };
}
