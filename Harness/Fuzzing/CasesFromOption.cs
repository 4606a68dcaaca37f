using System.CommandLine;
using Conformance.Cases.Fuzzing;
using Conformance.Harness.Cli;
using Conformance.Harness.Running;

namespace Conformance.Harness.Fuzzing;

/// <summary><c>--cases-from DIR</c> of test-server and test-client: play a folder of finding files (a fuzzing regression suite) instead of the catalogue.</summary>
internal static class CasesFromOption
{
    public static Option<string?> Create() => new("--cases-from") { Description = "Play the finding files (findings/*.json of a fuzz run) in DIR instead of catalogue cases" };

    /// <summary>The plan with the folder's cases, when the option was given; an unreadable folder or file is a usage error.</summary>
    public static RunPlan Apply(RunPlan plan, string? folder)
    {
        if (folder is null)
        {
            return plan;
        }

        try
        {
            var cases = FindingFile.ReadFolder(folder);
            return cases.Count > 0 ? plan with { Cases = cases } : throw new UsageException($"--cases-from: no finding files (*.json) in '{folder}'");
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--cases-from: {e.Message}");
        }
    }
}
