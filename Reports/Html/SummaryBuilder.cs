using System.Globalization;
using Conformance.Reports.Charts;
using Conformance.Reports.Writers;

namespace Conformance.Reports.Html;

/// <summary>Counts by category (a table per agent, or one for all agents of a large run) and the verdict-share picture.</summary>
internal sealed class SummaryBuilder(ReportData data)
{
    private static readonly (string Key, string Header, VerdictStyle Style)[] Columns =
    [
        ("OK", "Pass", VerdictStyle.Pass), ("NON-STRICT", "Non-Strict", VerdictStyle.NonStrict), ("INFORMATIONAL", "Info", VerdictStyle.Info),
        ("UNIMPLEMENTED", "Unimpl.", VerdictStyle.Unimplemented), ("FAILED", "Fail", VerdictStyle.Fail), ("MISSING", "Missing", VerdictStyle.Missing),
        ("close OK", "OK", VerdictStyle.CloseOk), ("close FAILED BY CLIENT", "By client", VerdictStyle.CloseFailedByClient), ("close WRONG CODE", "Wrong code", VerdictStyle.CloseWrongCode),
        ("close UNCLEAN", "Unclean", VerdictStyle.CloseUnclean), ("close INFORMATIONAL", "Info", VerdictStyle.CloseInfo), ("close FAILED", "Fail", VerdictStyle.CloseFail),
    ];

    /// <summary>The tallies of <paramref name="agents"/> together, per category in number order.</summary>
    public List<(int Category, string Name, Tally Tally)> Tallies(IReadOnlyList<string> agents)
    {
        var rows = new List<(int, string, Tally)>();
        foreach (var category in data.Rows.GroupBy(r => r.Category).OrderBy(g => g.Key))
        {
            var tally = new Tally();
            foreach (var row in category)
            {
                foreach (string agent in agents)
                {
                    tally.Add(data.Find(agent, row.Id));
                }
            }

            rows.Add((category.Key, category.First().CategoryName, tally));
        }

        return rows;
    }

    public AgentSummary Summary(string title, IReadOnlyList<string> agents)
    {
        var tallies = Tallies(agents);
        var total = new Tally();
        foreach (var (_, _, tally) in tallies)
        {
            total.Add(tally);
        }

        return new AgentSummary(
            DisplayText.Line(title, 200),
            [.. Columns.Select(c => new SummaryCell(c.Header, c.Style.Class))],
            [.. tallies.Select(t => Row(t.Category.ToString(CultureInfo.InvariantCulture), DisplayText.Line(t.Name, 80), t.Tally))],
            [Row("", "Total", total)]);
    }

    public Figure Chart(string title, IReadOnlyList<string> agents)
    {
        var rows = Tallies(agents).Select(t => ($"{t.Category} {t.Name}", t.Tally)).ToList();
        return new Figure(DisplayText.Line(title, 200), "", "Each bar splits a category's cases by behaviour verdict (colours as in the legend); the grey bar is the time the category took.",
            rows.Count == 0 ? Markup.Empty : VerdictShareChart.Build(title, rows));
    }

    private static SummaryRow Row(string number, string name, Tally tally) => new(
        number,
        name,
        [new SummaryCell(tally.Cases.ToString(CultureInfo.InvariantCulture), ""), .. Columns.Select(c => new SummaryCell(tally[c.Key].ToString(CultureInfo.InvariantCulture), tally[c.Key] > 0 ? c.Style.Class : "zero"))],
        (tally.Milliseconds / 1000).ToString("0.0", CultureInfo.InvariantCulture));
}
