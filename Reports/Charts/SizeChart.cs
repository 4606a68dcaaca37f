using System.Globalization;
using Conformance.Reports.Html;

namespace Conformance.Reports.Charts;

/// <summary>
/// One picture of a value against a size: a line of points per agent, the size on a log scale, the value on a log
/// scale when it spans more than two decades (times do), linear otherwise. Each point names its case and value.
/// </summary>
internal static class SizeChart
{
    private const int Width = 560;
    private const int Height = 250;
    private const int Left = 64;
    private const int Right = 16;
    private const int Top = 26;
    private const int Bottom = 48;

    /// <summary>Colours for up to six agents, told apart in both light and dark mode; more agents reuse them.</summary>
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    public sealed record Point(long Size, double Value, string CaseId);

    public sealed record Series(string Agent, IReadOnlyList<Point> Points);

    public static Markup Build(string title, string xAxis, string yAxis, IReadOnlyList<Series> series, Func<double, string> formatValue)
    {
        var points = series.SelectMany(s => s.Points).Where(p => p.Size > 0 && double.IsFinite(p.Value) && p.Value >= 0).ToList();
        var svg = new Svg(Width, Height + (series.Count * 14), title);
        if (points.Count == 0)
        {
            return svg.Text(Width / 2, Height / 2, "no results to draw", "middle").ToMarkup();
        }

        double minX = Math.Log2(points.Min(p => p.Size)), maxX = Math.Log2(points.Max(p => p.Size));
        double minValue = points.Where(p => p.Value > 0).Select(p => p.Value).DefaultIfEmpty(1).Min(), maxValue = Math.Max(points.Max(p => p.Value), minValue);
        bool logY = maxValue / minValue > 100;
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(long size) => Left + (maxX == minX ? plotW / 2 : (Math.Log2(size) - minX) / (maxX - minX) * plotW);
        double Y(double v) => Top + plotH - (logY
            ? (Math.Log10(Math.Max(v, minValue)) - Math.Log10(minValue)) / Math.Max(1e-9, Math.Log10(maxValue) - Math.Log10(minValue)) * plotH
            : v / Math.Max(1e-9, maxValue) * plotH);

        svg.Line(Left, Top, Left, Top + plotH).Line(Left, Top + plotH, Left + plotW, Top + plotH);
        foreach (long size in points.Select(p => p.Size).Distinct().Order())
        {
            svg.Line(X(size), Top + plotH, X(size), Top + plotH + 4).Text(X(size), Top + plotH + 16, CaseSize.Format(size), "middle", 9);
        }

        foreach (double v in logY ? [minValue, Math.Sqrt(minValue * maxValue), maxValue] : new[] { 0, maxValue / 2, maxValue })
        {
            svg.Line(Left, Y(v), Left + plotW, Y(v), 0.15).Text(Left - 4, Y(v) + 3, formatValue(v), "end", 9);
        }

        svg.Text(Left + (plotW / 2), Height - 14, xAxis + " (log scale)", "middle", 10);
        svg.Text(Left, Top - 12, yAxis + (logY ? " (log scale)" : ""), "middle", 10);
        for (int i = 0; i < series.Count; i++)
        {
            string colour = Palette[i % Palette.Length];
            var ordered = series[i].Points.Where(points.Contains).OrderBy(p => p.Size).ToList();
            svg.Polyline(ordered.Select(p => (X(p.Size), Y(p.Value))), colour);
            foreach (var p in ordered)
            {
                svg.Circle(X(p.Size), Y(p.Value), 3, colour, $"{series[i].Agent}, case {p.CaseId}: {formatValue(p.Value)} at {CaseSize.Format(p.Size)}");
            }

            double legendY = Height + (i * 14);
            svg.Rect(Left, legendY - 8, 10, 10, colour).Text(Left + 14, legendY, DisplayText.Line(series[i].Agent, 60), size: 10);
        }

        return svg.ToMarkup();
    }

    public static string Milliseconds(double ms) => ms >= 1000
        ? (ms / 1000).ToString("0.##", CultureInfo.InvariantCulture) + " s"
        : ms.ToString(ms >= 10 ? "0" : "0.#", CultureInfo.InvariantCulture) + " ms";
}
