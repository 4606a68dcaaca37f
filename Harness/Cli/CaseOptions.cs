using System.CommandLine;
using Conformance.Cases;
using Conformance.Cases.Catalogue;
using Conformance.Cases.Scripting;

namespace Conformance.Harness.Cli;

/// <summary>The case selection options shared by the commands, and their checking.</summary>
internal static class CaseOptions
{
    public static Option<string> Cases() => new("--cases") { Description = "Case patterns to run, comma-separated (Autobahn rules: 1.*, 5.2, *)", DefaultValueFactory = _ => "*" };

    public static Option<string> Exclude() => new("--exclude") { Description = "Case patterns to leave out, comma-separated" };

    /// <summary>
    /// Selects the cases that apply to the role under test (servers unless told otherwise); a pattern that
    /// matches nothing is refused (Autobahn would silently break later), and so is a case ID of the other role.
    /// </summary>
    public static IReadOnlyList<Case> Select(IReadOnlyList<string> include, IReadOnlyList<string> exclude, PeerRoles role = PeerRoles.Server)
    {
        var unknown = CaseSelection.UnknownPatterns(Catalogue.All, include.Concat(exclude));
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown case pattern{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(p => $"'{p}'"))}: no case matches (see './run.sh list')");
        }

        var applicable = CaseSelection.ForRole(Catalogue.All, role);
        var otherRole = CaseSelection.UnknownPatterns(applicable, include).ToArray();
        if (otherRole.Length > 0)
        {
            string tested = role == PeerRoles.Client ? "a client" : "a server";
            throw new UsageException($"case{(otherRole.Length > 1 ? "s" : "")} {string.Join(", ", otherRole.Select(p => $"'{p}'"))} do{(otherRole.Length > 1 ? "" : "es")} not apply when testing {tested} (see './run.sh list')");
        }

        var selected = CaseSelection.Select(applicable, include, exclude);
        return selected.Count > 0 ? selected : throw new UsageException("the selection is empty: every case was excluded");
    }
}
