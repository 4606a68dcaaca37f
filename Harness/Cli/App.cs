using System.CommandLine;

namespace Conformance.Harness.Cli;

/// <summary>The command line: parses, dispatches, and turns every user error into one line on stderr and exit code 2.</summary>
internal static class App
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("wsconf — a WebSocket conformance harness (RFC 6455), Autobahn|Testsuite compatible.\nWith no command: runs the whole catalogue against an embedded Kestrel echo server.");
        DefaultRun.Configure(root);
        VersionAction.Install(root);
        root.Subcommands.Add(TestServerCommand.Create());
        root.Subcommands.Add(TestClientCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(ServeEchoCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(FuzzCommand.Create());

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {parse.Errors[0].Message} (see --help)");
            return ExitCodes.Usage;
        }

        // SIGINT and SIGTERM are ours (ShutdownSignals), not System.CommandLine's: its handler lets the process end two
        // seconds after the signal, in the middle of writing the report.
        using var signals = new ShutdownSignals();
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, signals.Token).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
