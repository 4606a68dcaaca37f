using System.CommandLine;
using Conformance.Reports.Compare;
using Conformance.Reports.Html;
using Conformance.Reports.Reading;

namespace Conformance.Harness.Cli;

/// <summary><c>compare OLD NEW</c>: regressions and fixes between two results folders (their index.json); exit 1 on a regression.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var old = new Argument<string>("old") { Description = "The earlier results folder (or its index.json)" };
        var @new = new Argument<string>("new") { Description = "The later results folder (or its index.json)" };
        var command = new Command("compare", "List regressions and fixes between two results folders; exit 1 on a regression") { old, @new };
        command.SetAction(parse =>
        {
            IReadOnlyList<VerdictChange> changes;
            try
            {
                changes = RunComparison.Compare(ResultsReader.ReadIndex(parse.GetValue(old)!), ResultsReader.ReadIndex(parse.GetValue(@new)!));
            }
            catch (ResultsReadException e)
            {
                throw new UsageException(e.Message);
            }

            foreach (var (kind, title) in new[] { (ChangeKind.Regression, "Regressions"), (ChangeKind.Fix, "Fixes"), (ChangeKind.Changed, "Changed, same rank"), (ChangeKind.New, "New cases") })
            {
                var group = changes.Where(c => c.Kind == kind).ToList();
                if (group.Count == 0)
                {
                    continue;
                }

                Console.Out.WriteLine($"{title} ({group.Count}):");
                foreach (var change in group)
                {
                    Console.Out.WriteLine($"    {DisplayText.Line(change.Agent, 40)}  {DisplayText.Line(change.CaseId, 12),-9} {DisplayText.Line(change.Old, 40)} -> {DisplayText.Line(change.New, 40)}");
                }
            }

            int regressions = changes.Count(c => c.Kind == ChangeKind.Regression);
            Console.Out.WriteLine($"{regressions} regression(s), {changes.Count(c => c.Kind == ChangeKind.Fix)} fix(es), {changes.Count(c => c.Kind == ChangeKind.Changed)} other change(s), {changes.Count(c => c.Kind == ChangeKind.New)} new case(s).");
            return regressions > 0 ? ExitCodes.Failed : ExitCodes.Passed;
        });
        return command;
    }
}
