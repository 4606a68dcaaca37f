using System.Diagnostics;
using Conformance.Harness.Cli;

namespace Conformance.Tests.Support;

/// <summary>A run of <c>wsconf …</c> through the real command line, in-process, with its console output.</summary>
internal sealed record CliOutcome(int Exit, string Out, string Error, TimeSpan Took)
{
    public IReadOnlyList<string> ErrorLines => Error.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();

    public override string ToString() => $"exit {Exit} after {Took.TotalSeconds:F1} s\nstdout:\n{Out}\nstderr:\n{Error}";
}

/// <summary>The tests' one in-process CLI runner: <see cref="App.RunAsync"/> with Console.Out and Console.Error captured.</summary>
internal static class CliRunner
{
    /// <summary>Runs the CLI in-process. The console is process-wide: callers must be [NonParallelizable].</summary>
    public static async Task<CliOutcome> RunAsync(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var console = new ConsoleCapture();
        int exit = await App.RunAsync(args).ConfigureAwait(false);
        return new CliOutcome(exit, console.Out, console.Error, clock.Elapsed);
    }
}
