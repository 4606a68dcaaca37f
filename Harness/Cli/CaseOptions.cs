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

    /// <summary>Selects cases; a pattern that matches nothing is refused (Autobahn would silently break later).</summary>
    public static IReadOnlyList<Case> Select(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        var unknown = CaseSelection.UnknownPatterns(Catalogue.All, include.Concat(exclude));
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown case pattern{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(p => $"'{p}'"))}: no case matches (see './run.sh list')");
        }

        var selected = CaseSelection.Select(Catalogue.All, include, exclude);
        return selected.Count > 0 ? selected : throw new UsageException("the selection is empty: every case was excluded");
    }
}
