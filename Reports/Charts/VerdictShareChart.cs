using System.Globalization;
using Conformance.Reports.Html;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Charts;

/// <summary>Per category: a bar split by the share of each behaviour verdict, and a bar of the time the category took.</summary>
internal static class VerdictShareChart
{
    private const int LabelWidth = 230;
    private const int ShareWidth = 420;
    private const int Gap = 30;
    private const int TimeWidth = 200;
    private const int RowHeight = 20;
    private const int Top = 24;
    private const int MaxLabelChars = 36;

    private static readonly (string Key, VerdictStyle Style)[] Segments =
    [
        ("OK", VerdictStyle.Pass), ("NON-STRICT", VerdictStyle.NonStrict), ("INFORMATIONAL", VerdictStyle.Info),
        ("UNIMPLEMENTED", VerdictStyle.Unimplemented), ("FAILED", VerdictStyle.Fail), ("MISSING", VerdictStyle.Missing),
    ];

    public static Markup Build(string title, IReadOnlyList<(string Category, Tally Tally)> rows)
    {
        int width = LabelWidth + ShareWidth + Gap + TimeWidth + 70;
        var svg = new Svg(width, Top + (rows.Count * RowHeight) + 30, title);
        svg.Text(LabelWidth, 14, "Share of behaviour verdicts").Text(LabelWidth + ShareWidth + Gap, 14, "Time (s)");
        double maxMs = Math.Max(1, rows.Max(r => r.Tally.Milliseconds));
        for (int i = 0; i < rows.Count; i++)
        {
            var (category, tally) = rows[i];
            double y = Top + (i * RowHeight);
            svg.Text(LabelWidth - 6, y + 13, Label(category), "end");
            double x = LabelWidth;
            foreach (var (key, style) in Segments)
            {
                int count = tally[key];
                if (count == 0 || tally.Cases == 0)
                {
                    continue;
                }

                double w = ShareWidth * count / (double)tally.Cases;
                svg.Rect(x, y + 2, w, RowHeight - 4, style.Background, $"{category}: {count} of {tally.Cases} {style.Label} ({Percent(count, tally.Cases)})");
                x += w;
            }

            double seconds = tally.Milliseconds / 1000;
            double timeX = LabelWidth + ShareWidth + Gap;
            svg.Rect(timeX, y + 5, TimeWidth * tally.Milliseconds / maxMs, RowHeight - 10, "#888", $"{category}: {Seconds(seconds)} s");
            svg.Text(timeX + (TimeWidth * tally.Milliseconds / maxMs) + 4, y + 14, Seconds(seconds), size: 10);
        }

        // The colours' names under the bars, so the picture reads on paper without the legend table.
        double legendX = LabelWidth, legendY = Top + (rows.Count * RowHeight) + 16;
        foreach (var (_, style) in Segments)
        {
            svg.Rect(legendX, legendY - 9, 10, 10, style.Background).Text(legendX + 14, legendY, style.Text, size: 10);
            legendX += 24 + (style.Text.Length * 6);
        }

        return svg.ToMarkup();
    }

    /// <summary>The category's label, short enough for the label column (the tooltip of each bar has it whole).</summary>
    private static string Label(string category)
    {
        string line = DisplayText.Line(category, 200);
        return line.Length <= MaxLabelChars ? line : line[..(MaxLabelChars - 1)].TrimEnd() + "…";
    }

    private static string Percent(int part, int whole) => (100.0 * part / whole).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture);
}
