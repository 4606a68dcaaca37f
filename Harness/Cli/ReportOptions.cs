using System.CommandLine;
using Conformance.Cases.Catalogue;
using Conformance.Cases.Scripting;
using Conformance.Reports.Gating;
using Conformance.Reports.Model;

namespace Conformance.Harness.Cli;

/// <summary>What to write besides the JSON files, and how to gate: the options shared by the running commands and <c>report</c>.</summary>
internal sealed record ReportSettings
{
    public string? Templates { get; init; }

    public string? JUnit { get; init; }

    public string? SummaryMarkdown { get; init; }

    public GatePolicy Gate { get; init; } = new();

    /// <summary>The target was the embedded echo server: a case is rerun with <c>./run.sh --cases ID</c>.</summary>
    public bool EmbeddedTarget { get; init; }
}

/// <summary>The report and gate options (<c>--templates</c>, <c>--junit</c>, <c>--summary-md</c>, <c>--strict</c>, <c>--baseline</c>).</summary>
internal sealed class ReportOptions
{
    public Option<string?> Templates { get; } = new("--templates") { Description = "Folder of .sbn-html (Scriban) templates replacing the shipped ones file by file (restyle the HTML without recompiling)" };

    public Option<string?> JUnit { get; } = new("--junit") { Description = "Also write JUnit XML to FILE (a testsuite per category, a testcase per case)" };

    public Option<string?> SummaryMarkdown { get; } = new("--summary-md") { Description = "Also write a Markdown summary to FILE (for pull-request comments)" };

    public Option<bool> Strict { get; } = new("--strict") { Description = "Fail on NON-STRICT, WRONG CODE and UNCLEAN too, not only on FAILED" };

    public Option<string?> Baseline { get; } = new("--baseline") { Description = "Expected verdicts (JSON: case ID -> {behavior, behaviorClose, reason}); a listed case passes when it matches" };

    public void AddTo(Command command)
    {
        command.Options.Add(Templates);
        command.Options.Add(JUnit);
        command.Options.Add(SummaryMarkdown);
        command.Options.Add(Strict);
        command.Options.Add(Baseline);
    }

    public ReportSettings From(ParseResult parse)
    {
        string? templates = parse.GetValue(Templates);
        if (templates is not null && !Directory.Exists(templates))
        {
            throw new UsageException($"--templates: folder '{templates}' does not exist");
        }

        string? baselinePath = parse.GetValue(Baseline);
        Baseline? baseline = null;
        if (baselinePath is not null)
        {
            try
            {
                baseline = Reports.Gating.Baseline.Load(baselinePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                throw new UsageException($"--baseline '{baselinePath}': {e.Message}");
            }
        }

        return new ReportSettings
        {
            Templates = templates,
            JUnit = parse.GetValue(JUnit),
            SummaryMarkdown = parse.GetValue(SummaryMarkdown),
            Gate = new GatePolicy { Strict = parse.GetValue(Strict), Baseline = baseline, BaselineName = baselinePath is null ? null : Path.GetFileName(baselinePath) },
        };
    }

    /// <summary>The selected cases as the reports list them.</summary>
    public static IReadOnlyList<CatalogueEntry> Entries(IEnumerable<Case> cases) => [.. cases.Select(Entry)];

    public static CatalogueEntry Entry(Case c) => new(c.Id.Text, c.Category, Catalogue.CategoryOf(c.Category)?.Name ?? "", c.SubcategoryTitle, c.Description);

    /// <summary>Catalogue facts for a case ID, for results read back from a folder.</summary>
    public static CatalogueEntry? Lookup(string caseId) => Catalogue.Find(caseId) is { } c ? Entry(c) : null;
}
