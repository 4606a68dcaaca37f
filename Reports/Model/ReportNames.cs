using System.Text;

namespace Conformance.Reports.Model;

/// <summary>File names shared with Autobahn|Testsuite so existing tooling finds the files.</summary>
public static class ReportNames
{
    /// <summary>
    /// Autobahn's cleaned agent name: lower-cased, every character other than a–z and 0–9 becomes a
    /// space, trimmed, and each remaining space becomes an underscore.
    /// </summary>
    public static string CleanAgent(string agent)
    {
        var builder = new StringBuilder(agent.Length);
        foreach (char c in agent.ToLowerInvariant())
        {
            builder.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : ' ');
        }

        return builder.ToString().Trim().Replace(' ', '_');
    }

    /// <summary>Autobahn's file name for one agent's case, when no other agent of the run cleans to the same name (see <see cref="ReportFileNames"/>).</summary>
    public static string CaseFile(string agent, string caseId, string extension) =>
        $"{CleanAgent(agent)}_case_{caseId.Replace('.', '_')}.{extension}";

    /// <summary>A file name with only letters, digits, '_', '.' and '-' (anything else becomes '_').</summary>
    public static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_'));
}
