using Conformance.Reports.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Conformance.Harness.Cli;

/// <summary>
/// The console's log line, in the simple formatter's single-line layout (<c>warn: wsconf[0] message</c>), with the
/// message made visible by <see cref="Clip.Visible"/>: log lines carry what peers sent (request paths, agent names,
/// headers, close reasons), and an escape sequence or BEL from a client must reach the operator's terminal as
/// <c>\x1b</c>, the way the HTML report shows it, never as itself.
/// </summary>
internal sealed class EscapingConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "wsconf";

    /// <summary>A log line longer than this is cut: nothing we log needs more, and a peer cannot flood the terminal.</summary>
    private const int MaxLineChars = 4000;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        string? message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        string text = logEntry.Exception is null ? message ?? "" : $"{message} {logEntry.Exception}";
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write("] ");
        textWriter.WriteLine(Clip.Visible(text, MaxLineChars));
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
