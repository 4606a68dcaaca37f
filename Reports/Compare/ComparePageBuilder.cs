using Conformance.Reports.Charts;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Reading;

namespace Conformance.Reports.Compare;

/// <summary>
/// The view model of the compare page: regressions, fixes, other changes, new cases and unchanged failures, each case
/// with links to its page in both runs, and a picture of the changed cells old → new.
/// </summary>
public static class ComparePageBuilder
{
    public const int MaxRowsPerSection = 2000;

    /// <param name="oldDir">The earlier results folder (its case pages are linked).</param>
    /// <param name="newDir">The later results folder.</param>
    /// <param name="pageDir">The folder the page is written to, so links are relative to it.</param>
    public static ComparePage Build(IReadOnlyList<VerdictChange> changes, IReadOnlyList<VerdictChange> unchangedFailures, string oldDir, string newDir, string pageDir)
    {
        (ChangeKind Kind, string Title, string Note)[] sections =
        [
            (ChangeKind.Regression, "Regressions", "a verdict got worse, or the case is gone from the new run"),
            (ChangeKind.Fix, "Fixes", "a verdict got better and none got worse"),
            (ChangeKind.Changed, "Changed, same rank", "a different verdict of the same rank (INFORMATIONAL ↔ UNIMPLEMENTED)"),
            (ChangeKind.New, "New cases", "only the new run has them"),
            (ChangeKind.UnchangedFailure, "Unchanged failures", "FAILED in both runs with the same verdicts"),
        ];
        var all = changes.Concat(unchangedFailures).ToList();
        int regressions = changes.Count(c => c.Kind == ChangeKind.Regression);
        return new ComparePage
        {
            Title = "wsconf compare",
            Intro = $"{DisplayText.Line(oldDir, 300)} → {DisplayText.Line(newDir, 300)}: {regressions} regression(s), {changes.Count(c => c.Kind == ChangeKind.Fix)} fix(es), " +
                $"{changes.Count(c => c.Kind == ChangeKind.Changed)} other change(s), {changes.Count(c => c.Kind == ChangeKind.New)} new case(s), " +
                $"{unchangedFailures.Count} unchanged failure(s). compare exits 1 when there is a regression.",
            Styles = IndexPageBuilder.Styles,
            Picture = ChangePicture.Build(changes.Where(c => c.Kind is ChangeKind.Regression or ChangeKind.Fix or ChangeKind.Changed).ToList()),
            // Only the kinds that occurred; the intro gives every count.
            Sections = [.. sections.Where(s => all.Any(c => c.Kind == s.Kind)).Select(s => Section(s.Title, s.Note, [.. all.Where(c => c.Kind == s.Kind)], oldDir, newDir, pageDir))],
        };
    }

    private static CompareSection Section(string title, string note, IReadOnlyList<VerdictChange> rows, string oldDir, string newDir, string pageDir)
    {
        string cut = rows.Count > MaxRowsPerSection ? $"; the first {MaxRowsPerSection} of {rows.Count} are listed" : "";
        return new CompareSection($"{title} ({rows.Count})", note + cut,
            [.. rows.Take(MaxRowsPerSection).Select(c => new CompareRow(
                DisplayText.Line(c.Agent, 100),
                DisplayText.Line(c.CaseId, 40),
                DisplayText.Line(c.Old, 60),
                Class(c.OldEntry),
                Link(c.OldEntry, oldDir, pageDir, "old page"),
                DisplayText.Line(c.New, 60),
                Class(c.NewEntry),
                Link(c.NewEntry, newDir, pageDir, "new page")))]);
    }

    /// <summary>The CSS class of the worse of the entry's two verdicts (Missing when the run lacks the case).</summary>
    internal static VerdictStyle Style(IndexEntry? entry)
    {
        if (entry is null)
        {
            return VerdictStyle.Missing;
        }

        var behavior = VerdictParsing.ParseBehavior(entry.Behavior);
        var close = VerdictParsing.ParseClose(entry.BehaviorClose);
        return VerdictRank.Of(close) > VerdictRank.Of(behavior) ? VerdictStyle.Of(close) : VerdictStyle.Of(behavior);
    }

    private static string Class(IndexEntry? entry) => Style(entry).Class;

    private static IReadOnlyList<NavLink> Link(IndexEntry? entry, string runDir, string pageDir, string text)
    {
        if (entry?.ReportFile is not { Length: > 0 } json || Path.GetFileName(json) != json)
        {
            return [];
        }

        string page = Path.Combine(Path.GetFullPath(runDir), Path.ChangeExtension(json, "html"));
        string relative = Path.GetRelativePath(Path.GetFullPath(pageDir), page).Replace('\\', '/');
        return [new NavLink(string.Join('/', relative.Split('/').Select(Uri.EscapeDataString)), text)];
    }
}

public sealed record ComparePage
{
    public required string Title { get; init; }

    public required string Intro { get; init; }

    public required IReadOnlyList<StyleRule> Styles { get; init; }

    public required Markup Picture { get; init; }

    public required IReadOnlyList<CompareSection> Sections { get; init; }
}

public sealed record CompareSection(string Title, string Note, IReadOnlyList<CompareRow> Rows);

public sealed record CompareRow(string Agent, string CaseId, string Old, string OldClass, IReadOnlyList<NavLink> OldPage, string New, string NewClass, IReadOnlyList<NavLink> NewPage);
