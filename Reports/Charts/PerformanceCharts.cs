using System.Globalization;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Charts;

/// <summary>A picture with its heading and a sentence saying how to read it.</summary>
public sealed record Figure(string Title, string Anchor, string Caption, Markup Svg);

/// <summary>
/// The pictures of performance.html: for category 9, the time of each case against the size it varies, per
/// subcategory (where throughput falls off); for 12 and 13, the octets on the wire per payload octet and the time,
/// against the message size. Results a target did not implement (no compression) are left out.
/// </summary>
internal static class PerformanceCharts
{
    public static IReadOnlyList<Figure> Build(ReportData data)
    {
        var figures = new List<Figure>();
        foreach (var sub in Subcategories(data, 9))
        {
            Add(figures, sub.Title, sub.Anchor, $"Time of each case (sending and receiving the echo) against the {sub.Axis}; Autobahn lists these durations, the picture shows where throughput falls off.",
                $"{sub.Title}: time against {sub.Axis}", sub.Axis, "time", Series(data, sub, r => r.DurationMs), SizeChart.Milliseconds);
        }

        foreach (int category in new[] { 12, 13 })
        {
            foreach (var sub in Subcategories(data, category))
            {
                Add(figures, sub.Title + ": compression", sub.Anchor + "-ratio", "Octets the peer sent on the wire (frames, handshake and close included) per payload octet it echoed: below 1 means compression pays.",
                    $"{sub.Title}: wire octets per payload octet", sub.Axis, "ratio", Series(data, sub, Ratio), v => v.ToString("0.##", CultureInfo.InvariantCulture));
                Add(figures, sub.Title + ": time", sub.Anchor + "-time", "Time of each case against the message size.",
                    $"{sub.Title}: time against {sub.Axis}", sub.Axis, "time", Series(data, sub, r => r.DurationMs), SizeChart.Milliseconds);
            }
        }

        return figures;
    }

    /// <summary>A figure, unless no agent has a point for it (all unimplemented, say).</summary>
    private static void Add(List<Figure> figures, string title, string anchor, string caption, string label, string xAxis, string yAxis, List<SizeChart.Series> series, Func<double, string> format)
    {
        if (series.Count > 0)
        {
            figures.Add(new Figure(title, anchor, caption, SizeChart.Build(label, xAxis, yAxis, series, format)));
        }
    }

    private sealed record Subcategory(string Title, string Anchor, string Axis, IReadOnlyList<(CatalogueEntry Entry, long Size)> Cases);

    private static IEnumerable<Subcategory> Subcategories(ReportData data, int category)
    {
        foreach (var group in data.Rows.Where(r => r.Category == category).GroupBy(r => string.Join('.', r.Id.Split('.').Take(2))))
        {
            var sized = group.Select(e => (Entry: e, Size: CaseSize.Of(e.Description))).Where(s => s.Size is not null).ToList();
            if (sized.Count == 0)
            {
                continue;
            }

            string title = DisplayText.Line($"{group.Key} {group.First().SubcategoryTitle}", 200);
            yield return new Subcategory(title, "perf-" + ReportNames.Safe(group.Key), sized[0].Size!.Value.Axis, [.. sized.Select(s => (s.Entry, s.Size!.Value.Octets))]);
        }
    }

    private static List<SizeChart.Series> Series(ReportData data, Subcategory sub, Func<CaseResult, double> value) =>
        [.. data.Agents.Select(agent => new SizeChart.Series(agent,
            [.. sub.Cases.Select(c => (c, Result: data.Find(agent, c.Entry.Id))).Where(x => x.Result is not null && x.Result.Behavior != Behavior.Unimplemented)
                .Select(x => new SizeChart.Point(x.c.Size, value(x.Result!), x.c.Entry.Id))]))
            .Where(s => s.Points.Any(p => double.IsFinite(p.Value)))];

    private static double Ratio(CaseResult result)
    {
        long payload = CaseSize.Count(result.Description) * (CaseSize.Of(result.Description)?.Octets ?? 0);
        return payload > 0 ? result.Stats.RxOctets / (double)payload : double.NaN;
    }
}
