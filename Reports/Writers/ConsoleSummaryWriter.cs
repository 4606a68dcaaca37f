using Conformance.Reports.Model;

namespace Conformance.Reports.Writers;

/// <summary>
/// The end-of-run summary for the terminal: per agent, one row per category with the behaviour verdicts
/// counted, the close problems and the time spent; a total row; then the cases that failed, one line each.
/// Plain ASCII without colours (the caller may add them); every piece of text from the run is sanitised, so
/// odd data (no results, control characters, escape sequences, line breaks) never breaks the table or throws.
/// </summary>
public sealed class ConsoleSummaryWriter
{
    public const int MaxFailureLines = 30;

    public const int MaxLineLength = 120;

    private const int MaxCategoryNameLength = 32;

    private static readonly string[] Header = ["Cat", "Category", "Cases", "OK", "NON-STRICT", "INFO", "UNIMPL", "FAILED", "BAD CLOSE", "Time (s)"];

    public void Write(RunResult run, TextWriter output)
    {
        var results = run.Results?.OfType<CaseResult>().ToList() ?? [];
        if (results.Count == 0)
        {
            output.WriteLine("No results.");
            return;
        }

        foreach (var agent in results.GroupBy(r => r.Agent ?? "", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            WriteAgent(agent.Key, [.. agent], output);
        }
    }

    private static void WriteAgent(string agent, IReadOnlyList<CaseResult> results, TextWriter output)
    {
        string name = TerminalText.OneLine(agent, MaxLineLength - 20);
        output.WriteLine($"Agent: {(name.Length > 0 ? name : "(unnamed)")} ({results.Count} case{(results.Count == 1 ? "" : "s")})");

        var rows = new List<string[]> { Header };
        var total = new Tally();
        foreach (var category in results.GroupBy(r => r.Category).OrderBy(g => g.Key))
        {
            var tally = new Tally();
            foreach (var result in category)
            {
                tally.Add(result);
                total.Add(result);
            }

            string categoryName = TerminalText.OneLine(category.First().CategoryName, MaxCategoryNameLength);
            rows.Add([category.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), categoryName, .. tally.Cells()]);
        }

        rows.Add(["", "Total", .. total.Cells()]);
        WriteTable(rows, output);
        output.WriteLine("  (BAD CLOSE: close verdict FAILED, UNCLEAN or WRONG CODE)");
        WriteFailures(results, output);
        output.WriteLine();
    }

    private static void WriteTable(IReadOnlyList<string[]> rows, TextWriter output)
    {
        int[] widths = [.. Enumerable.Range(0, Header.Length).Select(column => rows.Max(row => row[column].Length))];
        string rule = "  " + string.Join("  ", widths.Select(width => new string('-', width)));
        for (int r = 0; r < rows.Count; r++)
        {
            if (r == rows.Count - 1)
            {
                output.WriteLine(rule);
            }

            var cells = rows[r].Select((cell, column) => column == 1 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]));
            output.WriteLine(("  " + string.Join("  ", cells)).TrimEnd());
            if (r == 0)
            {
                output.WriteLine(rule);
            }
        }
    }

    private static void WriteFailures(IReadOnlyList<CaseResult> results, TextWriter output)
    {
        var failures = results.Where(r => IsBehaviorFailure(r) || IsCloseProblem(r)).OrderBy(r => r.CaseId, CaseIdOrder.Instance).ToList();
        if (failures.Count == 0)
        {
            return;
        }

        output.WriteLine($"  Failed or badly closed ({failures.Count}):");
        foreach (var failure in failures.Take(MaxFailureLines))
        {
            output.WriteLine(FailureLine(failure));
        }

        if (failures.Count > MaxFailureLines)
        {
            output.WriteLine($"    ... and {failures.Count - MaxFailureLines} more");
        }
    }

    private static string FailureLine(CaseResult result)
    {
        var reasons = new List<string>(2);
        if (IsBehaviorFailure(result))
        {
            reasons.Add(TerminalText.OneLine(result.BehaviorReason, MaxLineLength));
        }

        if (IsCloseProblem(result))
        {
            reasons.Add("close: " + TerminalText.OneLine(result.CloseReason, MaxLineLength));
        }

        string id = TerminalText.OneLine(result.CaseId, 12);
        string verdicts = $"{result.Behavior.Label()} / {result.CloseBehavior.Label()}";
        return TerminalText.Fit($"    {id,-9} {verdicts,-29} {string.Join("; ", reasons)}", MaxLineLength);
    }

    private static bool IsBehaviorFailure(CaseResult result) => result.Behavior.Label() == "FAILED";

    private static bool IsCloseProblem(CaseResult result) => result.CloseBehavior.Label() is "FAILED" or "UNCLEAN" or "WRONG CODE";

    /// <summary>Counts for one row of the table.</summary>
    private sealed class Tally
    {
        private int _cases, _ok, _nonStrict, _informational, _unimplemented, _failed, _badClose;
        private double _milliseconds;

        public void Add(CaseResult result)
        {
            _cases++;
            switch (result.Behavior.Label())
            {
                case "OK": _ok++; break;
                case "NON-STRICT": _nonStrict++; break;
                case "INFORMATIONAL": _informational++; break;
                case "UNIMPLEMENTED": _unimplemented++; break;
                default: _failed++; break;
            }

            if (IsCloseProblem(result))
            {
                _badClose++;
            }

            if (double.IsFinite(result.DurationMs) && result.DurationMs > 0)
            {
                _milliseconds += result.DurationMs;
            }
        }

        public string[] Cells() =>
            [.. new[] { _cases, _ok, _nonStrict, _informational, _unimplemented, _failed, _badClose }.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
             TerminalText.Seconds(_milliseconds)];
    }
}
