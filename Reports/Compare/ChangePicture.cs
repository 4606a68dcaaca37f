using Conformance.Reports.Charts;
using Conformance.Reports.Html;

namespace Conformance.Reports.Compare;

/// <summary>The changed cells of the matrix as a picture: per changed case, its old cell → its new cell, coloured by the worse verdict.</summary>
internal static class ChangePicture
{
    public const int MaxRows = 300;
    private const int RowHeight = 20;
    private const int LabelWidth = 300;
    private const int CellWidth = 200;

    public static Markup Build(IReadOnlyList<VerdictChange> changes)
    {
        var rows = changes.Take(MaxRows).ToList();
        var svg = new Svg(LabelWidth + (2 * CellWidth) + 60, 24 + (Math.Max(1, rows.Count) * RowHeight) + (changes.Count > MaxRows ? RowHeight : 0), "Changed cells, old → new");
        svg.Text(LabelWidth + (CellWidth / 2), 14, "old", "middle").Text(LabelWidth + CellWidth + 40 + (CellWidth / 2), 14, "new", "middle");
        if (rows.Count == 0)
        {
            return svg.Text(LabelWidth, 38, "no verdict changed").ToMarkup();
        }

        for (int i = 0; i < rows.Count; i++)
        {
            var c = rows[i];
            double y = 20 + (i * RowHeight);
            var old = ComparePageBuilder.Style(c.OldEntry);
            var @new = ComparePageBuilder.Style(c.NewEntry);
            svg.Text(LabelWidth - 6, y + 14, DisplayText.Line($"{c.Agent} {c.CaseId}", 50), "end");
            svg.Rect(LabelWidth, y + 2, CellWidth, RowHeight - 4, old.Background, $"{c.CaseId} old: {c.Old}");
            svg.Text(LabelWidth + (CellWidth / 2), y + 14, DisplayText.Line(c.Old, 30), "middle", 10, old.Foreground);
            svg.Text(LabelWidth + CellWidth + 20, y + 14, "→", "middle", 14);
            svg.Rect(LabelWidth + CellWidth + 40, y + 2, CellWidth, RowHeight - 4, @new.Background, $"{c.CaseId} new: {c.New}");
            svg.Text(LabelWidth + CellWidth + 40 + (CellWidth / 2), y + 14, DisplayText.Line(c.New, 30), "middle", 10, @new.Foreground);
        }

        if (changes.Count > MaxRows)
        {
            svg.Text(LabelWidth, 20 + (rows.Count * RowHeight) + 14, $"… and {changes.Count - MaxRows} more, listed below");
        }

        return svg.ToMarkup();
    }
}
