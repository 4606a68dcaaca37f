using System.CommandLine;
using Conformance.Harness.Running;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Cli;

/// <summary>Options every running command has: parallelism, timer scale, verbosity.</summary>
internal sealed class CommonOptions(int defaultParallel = 1)
{
    /// <summary>
    /// The command as typed (the subcommand and its tokens; the parser's tokens already include the
    /// subcommand), with shell quoting where a token needs it, so a report's command line can be pasted.
    /// </summary>
    public static string CommandLineOf(ParseResult parse) =>
        string.Join(' ', parse.Tokens.Select(t => Conformance.Reports.Html.ShellQuote.IfNeeded(t.Value)));

    public Option<int> Parallel { get; } = new("--parallel", "-j") { Description = "Run N cases at once (verdicts equal a serial run)", DefaultValueFactory = _ => defaultParallel };

    public Option<double> TimeoutScale { get; } = new("--timeout-scale") { Description = "Multiply every timer by this factor (slow targets, CI machines)", DefaultValueFactory = _ => 1.0 };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log every frame both ways" };

    public void AddTo(Command command)
    {
        command.Options.Add(Parallel);
        command.Options.Add(TimeoutScale);
        command.Options.Add(Verbose);
    }

    public Timers TimersFrom(ParseResult parse)
    {
        double scale = parse.GetValue(TimeoutScale);
        return scale is > 0 and <= 100 ? new Timers { Scale = scale } : throw new UsageException("--timeout-scale must be greater than 0 and at most 100");
    }

    /// <summary>Whether --parallel was on the command line (not its default).</summary>
    public bool ParallelGiven(ParseResult parse) => parse.GetResult(Parallel) is { Implicit: false };

    public int ParallelFrom(ParseResult parse)
    {
        int parallel = parse.GetValue(Parallel);
        return parallel is >= 1 and <= 256 ? parallel : throw new UsageException("--parallel must be between 1 and 256");
    }

    /// <summary>Console logging; every line goes through <see cref="EscapingConsoleFormatter"/> (peers' text made visible).</summary>
    public static ILoggerFactory Logging(bool verbose) => LoggerFactory.Create(builder => builder
        .AddConsole(o => o.FormatterName = EscapingConsoleFormatter.FormatterName)
        .AddConsoleFormatter<EscapingConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>()
        .AddFilter("Microsoft", LogLevel.Warning)
        .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning));
}
