using System.Security.Cryptography;
using System.Text;

namespace Conformance.Reports.Model;

/// <summary>
/// The per-agent part of the report's file names. An agent keeps Autobahn's cleaned name
/// (<see cref="ReportNames.CleanAgent"/>) unless that name is empty or another agent of the same run cleans to
/// the same text (<c>../../tmp/pwned</c> and <c>TMP PWNED</c>, <c>.</c> and <c>..</c>); then every such agent gets a
/// short hash of its raw name appended, so no agent's files overwrite another's. The choice depends only on the
/// set of agents with results, never on the order they arrived in.
/// </summary>
public sealed class ReportFileNames
{
    private const int ShortHash = 8;
    private readonly Dictionary<string, string> _stems;

    private ReportFileNames(Dictionary<string, string> stems) => _stems = stems;

    public static ReportFileNames For(RunResult run) => For(run.Results.Select(r => r.Agent));

    public static ReportFileNames For(IEnumerable<string> agents)
    {
        var distinct = agents.Distinct(StringComparer.Ordinal).ToList();
        var stems = distinct.ToDictionary(a => a, ReportNames.CleanAgent, StringComparer.Ordinal);
        for (int hashLength = ShortHash; ; hashLength = Math.Min(hashLength * 2, 64))
        {
            var uses = stems.Values.CountBy(stem => stem, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
            var clashing = distinct.Where(a => stems[a].Length == 0 || uses[stems[a]] > 1).ToList();
            if (clashing.Count == 0)
            {
                return new ReportFileNames(stems);
            }

            foreach (string agent in clashing)
            {
                string clean = ReportNames.CleanAgent(agent);
                stems[agent] = $"{(clean.Length == 0 ? "agent" : clean)}_{Hash(agent, hashLength)}";
            }

            if (hashLength == 64)
            {
                return new ReportFileNames(stems); // distinct names with equal SHA-256: not in this universe
            }
        }
    }

    /// <summary>The agent's file-name stem; an agent outside the set gets its plain cleaned name (or a hash when that is empty).</summary>
    public string Stem(string agent) =>
        _stems.GetValueOrDefault(agent) ?? (ReportNames.CleanAgent(agent) is { Length: > 0 } clean ? clean : "agent_" + Hash(agent, ShortHash));

    /// <summary><c>&lt;stem&gt;_case_&lt;id&gt;.&lt;extension&gt;</c>, with odd characters in the case ID made file-system safe.</summary>
    public string CaseFile(string agent, string caseId, string extension) => ReportNames.Safe($"{Stem(agent)}_case_{caseId.Replace('.', '_')}.{extension}");

    private static string Hash(string agent, int hexDigits) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(agent)))[..hexDigits];
}
