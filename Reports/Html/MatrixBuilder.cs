using System.Globalization;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Html;

/// <summary>
/// The results matrix: a row per case under its category and subcategory titles, and per agent a behaviour
/// and a close cell. <paramref name="compact"/> (a run with many agents): per case, how many agents got each
/// behaviour verdict, so the page grows with the cases, not with agents × cases.
/// </summary>
internal sealed class MatrixBuilder(ReportData data, ReportFileNames names, bool compact)
{
    /// <summary>WRONG CODE, UNCLEAN and FAILED: the close verdicts the strict gate fails.</summary>
    private const int BadCloseRank = 2;

    private static readonly VerdictStyle[] CountedVerdicts = [VerdictStyle.Pass, VerdictStyle.NonStrict, VerdictStyle.Info, VerdictStyle.Unimplemented, VerdictStyle.Fail, VerdictStyle.Missing];

    public List<MatrixGroup> Groups(IReadOnlyList<CatalogueEntry> rows)
    {
        var columns = compact
            ? [.. CountedVerdicts.Select(v => $"{v.Text} (agents)"), "Bad close (agents)"]
            : data.Agents.Select(a => DisplayText.Line(a, 60)).ToList();
        int span = 1 + (2 * columns.Count);
        var groups = new List<MatrixGroup>();
        foreach (var category in rows.GroupBy(r => r.Category))
        {
            var sections = new List<(string? Title, List<MatrixRow> Rows)>();
            foreach (var row in category)
            {
                if (sections.Count == 0 || row.SubcategoryTitle != sections[^1].Title)
                {
                    sections.Add((row.SubcategoryTitle, []));
                }

                sections[^1].Rows.Add(compact ? CountRow(row) : Row(row));
            }

            string number = category.Key.ToString(CultureInfo.InvariantCulture);
            groups.Add(new MatrixGroup(DisplayText.Line($"{number} {category.First().CategoryName}", 100), "cat-" + number, columns,
                [.. sections.Select(s => new MatrixSection(s.Title is null ? [] : [DisplayText.Line(SectionTitle(s.Rows[0].Id, s.Title), 300)], span, s.Rows))]));
        }

        return groups;
    }

    /// <summary>"6.4 Fail-fast on invalid UTF-8" for case 6.4.1; just the title for two-part IDs.</summary>
    private static string SectionTitle(string firstId, string title)
    {
        var parts = firstId.Split('.');
        return parts.Length >= 3 ? $"{parts[0]}.{parts[1]} {title}" : title;
    }

    private MatrixRow Row(CatalogueEntry row)
    {
        var cells = new List<MatrixCell>();
        foreach (string agent in data.Agents)
        {
            var result = data.Find(agent, row.Id);
            if (result is null)
            {
                cells.Add(new MatrixCell(VerdictStyle.Missing.Class, 2, VerdictStyle.Missing.Text, "#" + IndexPageBuilder.Anchor(row.Id), "no result"));
                continue;
            }

            string href = names.CaseFile(agent, row.Id, "html");
            var behavior = VerdictStyle.Of(result.Behavior);
            string tooltip = DisplayText.Line($"{result.Behavior.Label()} / {result.CloseBehavior.Label()}, {IndexPageBuilder.Milliseconds(result.DurationMs)}: {result.BehaviorReason}", 300);
            if (result.Behavior == Behavior.Unimplemented)
            {
                cells.Add(new MatrixCell(behavior.Class, 2, behavior.Text, href, tooltip));
                continue;
            }

            var close = VerdictStyle.Of(result.CloseBehavior);
            cells.Add(new MatrixCell(behavior.Class, 1, behavior.Text, href, tooltip));
            cells.Add(new MatrixCell(close.Class, 1, VerdictStyle.CloseCellText(result), href, DisplayText.Line($"close {result.CloseBehavior.Label()}: {result.CloseReason}", 300)));
        }

        return new MatrixRow(DisplayText.Line(row.Id, 40), IndexPageBuilder.Anchor(row.Id), DisplayText.Line(row.Description, 400), cells);
    }

    private MatrixRow CountRow(CatalogueEntry row)
    {
        var counts = new Dictionary<VerdictStyle, int>();
        int badClose = 0;
        foreach (string agent in data.Agents)
        {
            var result = data.Find(agent, row.Id);
            var style = result is null ? VerdictStyle.Missing : VerdictStyle.Of(result.Behavior);
            counts[style] = counts.GetValueOrDefault(style) + 1;
            badClose += result is not null && VerdictRank.Of(result.CloseBehavior) >= BadCloseRank ? 1 : 0;
        }

        string href = IndexPageBuilder.FailuresFile + "#" + IndexPageBuilder.Anchor(row.Id);
        var cells = CountedVerdicts.Select(style => counts.GetValueOrDefault(style) is var n && n > 0
            ? new MatrixCell(style.Class, 2, n.ToString(CultureInfo.InvariantCulture), href, $"{n} agent(s) {style.Label}")
            : new MatrixCell("zero", 2, "0", href, $"no agent {style.Label}"));
        var close = badClose > 0
            ? new MatrixCell(VerdictStyle.CloseFail.Class, 2, badClose.ToString(CultureInfo.InvariantCulture), href, $"{badClose} agent(s) with close FAILED, UNCLEAN or WRONG CODE")
            : new MatrixCell("zero", 2, "0", href, "no agent with close FAILED, UNCLEAN or WRONG CODE");
        return new MatrixRow(DisplayText.Line(row.Id, 40), IndexPageBuilder.Anchor(row.Id), DisplayText.Line(row.Description, 400), [.. cells, close]);
    }
}
