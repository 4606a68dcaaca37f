using System.CommandLine;
using Conformance.Cases.Catalogue;

namespace Conformance.Harness.Cli;

/// <summary><c>list</c>: the selected cases, ID and description, without connecting anywhere.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var cases = CaseOptions.Cases();
        var exclude = CaseOptions.Exclude();
        var clients = new Option<bool>("--clients") { Description = "The cases played when testing a client, with N of /runCase?case=N" };
        var command = new Command("list", "List the selected cases without running them") { cases, exclude, clients };
        command.SetAction(parse =>
        {
            bool forClients = parse.GetValue(clients);
            var selected = Running.RunPlan.SelectFromFlags(parse.GetValue(cases), parse.GetValue(exclude), forClients ? Cases.Scripting.PeerRoles.Client : Cases.Scripting.PeerRoles.Server);
            int lastCategory = -1;
            int number = 0;
            foreach (var @case in selected)
            {
                number++;
                if (@case.Category != lastCategory)
                {
                    lastCategory = @case.Category;
                    Console.Out.WriteLine($"{@case.Category} {Catalogue.CategoryOf(@case.Category)?.Name}");
                }

                string n = forClients ? $"{number,4} " : "";
                Console.Out.WriteLine($"  {n}{@case.Id,-8} {@case.Description}  [{@case.RfcSection}, {@case.Requirement.ToString().ToUpperInvariant()}]");
            }

            Console.Out.WriteLine($"{selected.Count} case(s); catalogue version {Catalogue.Version}");
            return ExitCodes.Passed;
        });
        return command;
    }
}
