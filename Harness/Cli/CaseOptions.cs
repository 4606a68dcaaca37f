using System.CommandLine;

namespace Conformance.Harness.Cli;

/// <summary>The case selection options shared by the commands (checked by <see cref="Running.RunPlan.Select"/>).</summary>
internal static class CaseOptions
{
    public static Option<string> Cases() => new("--cases") { Description = "Case patterns to run, comma-separated (Autobahn rules: 1.*, 5.2, *)", DefaultValueFactory = _ => "*" };

    public static Option<string> Exclude() => new("--exclude") { Description = "Case patterns to leave out, comma-separated" };

    public static Option<string?> RerunFailed() => new("--rerun-failed") { Description = "Run only the selected cases that did not pass (OK or INFORMATIONAL) in this earlier results folder" };
}
