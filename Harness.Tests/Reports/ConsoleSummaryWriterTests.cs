using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public class ConsoleSummaryWriterTests
{
    private static string Summary(IEnumerable<CaseResult> results)
    {
        var output = new StringWriter { NewLine = "\n" };
        new ConsoleSummaryWriter().Write(new RunResult(SampleRun.Info, [.. results]), output);
        return output.ToString();
    }

    private static CaseResult Result(string id, Behavior behavior, CloseBehavior close, double durationMs = 100, string agent = "Agent")
    {
        int category = int.Parse(id.Split('.')[0]);
        string name = category switch { 1 => "Framing", 6 => "UTF-8 Handling", _ => "Misc" };
        return SampleRun.Case(agent, id, category, name, durationMs, 1000) with
        {
            Behavior = behavior,
            CloseBehavior = close,
            BehaviorReason = $"reason for {id}",
            CloseReason = $"close reason for {id}",
        };
    }

    /// <summary>The numbers of a table row, read from the right: cases, OK, NON-STRICT, INFO, UNIMPL, FAILED, BAD CLOSE, time.</summary>
    private static string[] RowNumbers(string summary, string rowStart)
    {
        var line = summary.Split('\n').Single(l => l.TrimStart().StartsWith(rowStart, StringComparison.Ordinal));
        return [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeLast(8)];
    }

    [Test]
    public void Counts_each_verdict_per_category_with_close_problems_and_time()
    {
        string summary = Summary(
        [
            Result("1.1.1", Behavior.Ok, CloseBehavior.Ok, 1000),
            Result("1.1.2", Behavior.Ok, CloseBehavior.FailedByClient, 250),
            Result("1.2.1", Behavior.NonStrict, CloseBehavior.Unclean, 250),
            Result("1.2.2", Behavior.Failed, CloseBehavior.Ok, 1000),
            Result("6.4.1", Behavior.Informational, CloseBehavior.WrongCode, 500),
            Result("6.4.2", Behavior.Unimplemented, CloseBehavior.Failed, 500),
            Result("6.4.3", Behavior.Failed, CloseBehavior.Informational, 1000),
            Result("10.1.1", Behavior.Ok, CloseBehavior.Ok, double.NaN),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(RowNumbers(summary, "1  Framing"), Is.EqualTo(new[] { "4", "2", "1", "0", "0", "1", "1", "2.5" }));
            Assert.That(RowNumbers(summary, "6  UTF-8 Handling"), Is.EqualTo(new[] { "3", "0", "0", "1", "1", "1", "2", "2.0" }));
            Assert.That(RowNumbers(summary, "10  Misc"), Is.EqualTo(new[] { "1", "1", "0", "0", "0", "0", "0", "0.0" }));
            Assert.That(RowNumbers(summary, "Total"), Is.EqualTo(new[] { "8", "3", "1", "1", "1", "2", "3", "4.5" }));
        });
    }

    [Test]
    public void Categories_are_in_numeric_order_and_the_table_lines_up()
    {
        string summary = Summary([Result("10.1.1", Behavior.Ok, CloseBehavior.Ok), Result("6.4.1", Behavior.Ok, CloseBehavior.Ok), Result("1.1.1", Behavior.Ok, CloseBehavior.Ok)]);
        var lines = summary.Split('\n');
        int framing = Array.FindIndex(lines, l => l.Contains("Framing", StringComparison.Ordinal));
        int utf8 = Array.FindIndex(lines, l => l.Contains("UTF-8 Handling", StringComparison.Ordinal));
        int misc = Array.FindIndex(lines, l => l.Contains("Misc", StringComparison.Ordinal));
        var tableLines = lines.Where(l => l.Contains("Framing") || l.Contains("Misc") || l.Contains("Total") || l.Contains("Cases")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(framing, Is.LessThan(utf8));
            Assert.That(utf8, Is.LessThan(misc));
            Assert.That(tableLines.Select(l => l.Length).Distinct().Count(), Is.EqualTo(1), string.Join("\n", tableLines));
        });
    }

    [Test]
    public void Lists_failed_cases_in_case_order_with_verdicts_and_reasons()
    {
        string summary = Summary(
        [
            Result("10.1.1", Behavior.Failed, CloseBehavior.Ok),
            Result("2.1", Behavior.Ok, CloseBehavior.Unclean),
            Result("2.2", Behavior.NonStrict, CloseBehavior.FailedByClient),
            Result("1.1.1", Behavior.Ok, CloseBehavior.Ok),
        ]);
        var failures = summary.Split('\n').SkipWhile(l => !l.Contains("Failed or badly closed (2):", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(failures, Has.Count.EqualTo(2));
            Assert.That(failures[0], Does.Match(@"^\s+2\.1\s+OK / UNCLEAN\s+close: close reason for 2\.1$"));
            Assert.That(failures[1], Does.Match(@"^\s+10\.1\.1\s+FAILED / OK\s+reason for 10\.1\.1$"));
        });
    }

    [Test]
    public void Shows_at_most_30_failures_then_how_many_more()
    {
        string summary = Summary(Enumerable.Range(1, 45).Select(i => Result($"6.{i}.1", Behavior.Failed, CloseBehavior.Failed)));
        var lines = summary.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines.Count(l => l.Contains("FAILED / FAILED", StringComparison.Ordinal)), Is.EqualTo(ConsoleSummaryWriter.MaxFailureLines));
            Assert.That(lines, Has.One.Match(@"^\s+\.\.\. and 15 more$"));
            Assert.That(summary, Does.Contain("reason for 6.30.1").And.Not.Contain("reason for 6.31.1"));
        });
    }

    [Test]
    public void One_block_per_agent_in_name_order()
    {
        string summary = Summary([Result("1.1.1", Behavior.Ok, CloseBehavior.Ok, agent: "zeta"), Result("1.1.1", Behavior.Failed, CloseBehavior.Ok, agent: "Alpha")]);
        Assert.Multiple(() =>
        {
            Assert.That(summary.IndexOf("Agent: Alpha (1 case)", StringComparison.Ordinal), Is.GreaterThanOrEqualTo(0));
            Assert.That(summary.IndexOf("Agent: Alpha", StringComparison.Ordinal), Is.LessThan(summary.IndexOf("Agent: zeta", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void Hostile_text_is_sanitised_to_short_printable_ASCII_lines()
    {
        string evil = "\u001b[31mred\u001b[0m\r\nnext\tline\u0007 \u202Eevil\u202C caf\u00e9 \ud800 \u2603";
        var result = Result("1.1.1", Behavior.Failed, CloseBehavior.WrongCode, agent: "agent\n" + evil) with
        {
            CategoryName = evil + new string('x', 200),
            BehaviorReason = evil + " " + new string('y', 500),
            CloseReason = evil,
        };
        string summary = Summary([result]);
        var lines = summary.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(summary.All(c => c == '\n' || c is >= ' ' and <= '~'), Is.True, summary);
            Assert.That(lines.Max(l => l.Length), Is.LessThanOrEqualTo(ConsoleSummaryWriter.MaxLineLength));
            Assert.That(lines.First(), Does.StartWith("Agent: agent [31mred [0m next line ?evil? cafe ? ?"));
            Assert.That(lines, Has.Some.Match(@"^\s+1\.1\.1\s+FAILED / WRONG CODE\s+\[31mred .*\.\.\.$"));
        });
    }

    [Test]
    public void Odd_data_never_throws()
    {
        var odd = new CaseResult
        {
            Agent = null!,
            CaseId = null!,
            CaseIndex = -1,
            Category = int.MinValue,
            CategoryName = null!,
            Description = null!,
            Expectation = null!,
            Behavior = (Behavior)99,
            BehaviorReason = null!,
            CloseBehavior = (CloseBehavior)99,
            CloseReason = null!,
            Started = default,
            DurationMs = double.NegativeInfinity,
        };
        string summary = "";
        Assert.That(() => summary = Summary([odd, odd with { DurationMs = double.NaN, CaseId = "" }]), Throws.Nothing);
        Assert.Multiple(() =>
        {
            Assert.That(summary, Does.Contain("Agent: (unnamed) (2 cases)"));
            Assert.That(RowNumbers(summary, "Total"), Is.EqualTo(new[] { "2", "0", "0", "0", "0", "2", "2", "0.0" }));
        });
    }

    [Test]
    public void An_empty_run_says_so() =>
        Assert.That(Summary([]), Is.EqualTo("No results.\n"));
}
