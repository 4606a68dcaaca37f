using System.CommandLine;
using Conformance.Cases;
using Conformance.Cases.Catalogue;

namespace Conformance.Harness.Cli;

/// <summary><c>list</c>: the selected cases, ID and description, without connecting anywhere.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var cases = CaseOptions.Cases();
        var exclude = CaseOptions.Exclude();
        var command = new Command("list", "List the selected cases without running them") { cases, exclude };
        command.SetAction(parse =>
        {
            var selected = CaseOptions.Select(CaseSelection.SplitPatterns(parse.GetValue(cases)), CaseSelection.SplitPatterns(parse.GetValue(exclude)));
            int lastCategory = -1;
            foreach (var @case in selected)
            {
                if (@case.Category != lastCategory)
                {
                    lastCategory = @case.Category;
                    Console.Out.WriteLine($"{@case.Category} {Catalogue.CategoryOf(@case.Category)?.Name}");
                }

                Console.Out.WriteLine($"  {@case.Id,-8} {@case.Description}  [{@case.RfcSection}, {@case.Requirement.ToString().ToUpperInvariant()}]");
            }

            Console.Out.WriteLine($"{selected.Count} case(s); catalogue version {Catalogue.Version}");
            return ExitCodes.Passed;
        });
        return command;
    }
}
