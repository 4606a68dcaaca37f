using System.CommandLine;
using System.CommandLine.Invocation;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Running;

namespace Conformance.Harness.Cli;

/// <summary>
/// <c>--version</c>: the harness version and the catalogue version (the hash of every case's definition),
/// the two things that decide a verdict; both are also in every report, JUnit file and Markdown summary.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public static string Text => $"wsconf {HarnessInfo.Version} (catalogue {Catalogue.Version})";

    public static void Install(RootCommand root)
    {
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new VersionAction();
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        Console.Out.WriteLine(Text);
        return ExitCodes.Passed;
    }
}
