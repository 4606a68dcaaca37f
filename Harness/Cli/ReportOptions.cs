using System.CommandLine;
using Conformance.Cases.Catalogue;
using Conformance.Cases.Scripting;
using Conformance.Reports.Gating;
using Conformance.Reports.Model;
using Conformance.Reports.Output;
using Conformance.Reports.Writers;

namespace Conformance.Harness.Cli;

/// <summary>What to write besides the JSON files, and how to gate: the options shared by the running commands and <c>report</c>.</summary>
internal sealed record ReportSettings
{
    public string? Templates { get; init; }

    /// <summary>Extra files asked for on the command line: format → file path.</summary>
    public IReadOnlyDictionary<FileFormat, string> Files { get; init; } = new Dictionary<FileFormat, string>();

    public GatePolicy Gate { get; init; } = new();

    /// <summary>The target was the embedded echo server: a case is rerun with <c>./run.sh --cases ID</c>.</summary>
    public bool EmbeddedTarget { get; init; }
}

/// <summary>A file format besides HTML: its option, its default file name (for <c>report</c>) and its writer.</summary>
internal sealed record FileFormat(string Option, string DefaultFile, string Description, Func<string, IReportWriter> Writer)
{
    /// <summary>Every extra format; adding one is its writer class and one line here.</summary>
    public static IReadOnlyList<FileFormat> All { get; } =
    [
        new("--junit", JUnitWriter.DefaultFileName, "Also write JUnit XML to FILE (a testsuite per category, a testcase per case)", file => new JUnitWriter(file)),
        new("--summary-md", MarkdownSummaryWriter.DefaultFileName, "Also write a Markdown summary to FILE (for pull-request comments)", file => new MarkdownSummaryWriter(file)),
    ];
}

/// <summary>The report and gate options (<c>--templates</c>, one per <see cref="FileFormat"/>, <c>--strict</c>, <c>--baseline</c>).</summary>
internal sealed class ReportOptions
{
    public Option<string?> Templates { get; } = new("--templates") { Description = "Folder of .sbn-html (Scriban) templates replacing the shipped ones file by file (restyle the HTML without recompiling)" };

    private readonly Dictionary<FileFormat, Option<string?>> _files = FileFormat.All.ToDictionary(f => f, f => new Option<string?>(f.Option) { Description = f.Description });

    public Option<bool> Strict { get; } = new("--strict") { Description = "Fail on NON-STRICT, WRONG CODE and UNCLEAN too, not only on FAILED" };

    public Option<string?> Baseline { get; } = new("--baseline") { Description = "Expected verdicts (JSON: case ID -> {behavior, behaviorClose, reason}); a listed case passes when it matches" };

    public void AddTo(Command command)
    {
        command.Options.Add(Templates);
        foreach (var option in _files.Values)
        {
            command.Options.Add(option);
        }

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
            Files = _files.Select(f => (f.Key, Path: parse.GetValue(f.Value))).Where(f => f.Path is not null).ToDictionary(f => f.Key, f => f.Path!),
            Gate = new GatePolicy { Strict = parse.GetValue(Strict), Baseline = baseline, BaselineName = baselinePath is null ? null : Path.GetFileName(baselinePath) },
        };
    }

    /// <summary>The selected cases as the reports list them.</summary>
    public static IReadOnlyList<CatalogueEntry> Entries(IEnumerable<Case> cases) => [.. cases.Select(Entry)];

    public static CatalogueEntry Entry(Case c) => new(c.Id.Text, c.Category, Catalogue.CategoryOf(c.Category)?.Name ?? "", c.SubcategoryTitle, c.Description);

    /// <summary>Catalogue facts for a case ID, for results read back from a folder.</summary>
    public static CatalogueEntry? Lookup(string caseId) => Catalogue.Find(caseId) is { } c ? Entry(c) : null;
}
