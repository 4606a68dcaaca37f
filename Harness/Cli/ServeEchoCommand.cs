using System.CommandLine;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Cli;

/// <summary><c>serve-echo --port N</c>: the embedded Kestrel echo server on its own, until interrupted.</summary>
internal static class ServeEchoCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "Port to listen on (0 = any free port)", DefaultValueFactory = _ => 9001 };
        var host = new Option<string>("--host") { Description = "Address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("serve-echo", "Run the embedded Kestrel (System.Net.WebSockets) echo server") { port, host };
        command.SetAction(async (parse, cancel) =>
        {
            int p = parse.GetValue(port);
            if (p is < 0 or > 65535)
            {
                throw new UsageException("--port must be between 0 and 65535");
            }

            KestrelEchoServer server;
            try
            {
                server = await KestrelEchoServer.StartAsync(p, parse.GetValue(host) ?? "127.0.0.1", cancel).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new UsageException($"cannot listen on port {p}: {e.GetBaseException().Message}");
            }

            await using (server.ConfigureAwait(false))
            {
                Console.Out.WriteLine($"Echo server ({KestrelEchoServer.Agent}) listening on {server.Url} — Ctrl+C to stop.");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancel).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return ExitCodes.Passed;
        });
        return command;
    }
}
