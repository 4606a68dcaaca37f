using System.Diagnostics;

namespace Conformance.Harness.Targets;

/// <summary>
/// The npm package 'ws' as a target: installed on first use (<see cref="NodeWsPackage"/>), started as a
/// child process running ws-echo-server.js.
/// </summary>
internal sealed class NodeWsServer : IAsyncDisposable
{
    public const string Package = NodeWsPackage.Spec;
    public const string Agent = "ws (npm)";

    private readonly Process _process;

    private NodeWsServer(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public Process Process => _process;

    public static async Task<NodeWsServer> StartAsync(bool deflate = false, CancellationToken cancel = default)
    {
        string prefix = await NodeWsPackage.EnsureInstalledAsync(cancel).ConfigureAwait(false);
        string script = Path.Combine(AppContext.BaseDirectory, "ws-echo-server.js");
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(prefix);
        if (deflate)
        {
            start.ArgumentList.Add("--deflate");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        string? line = await process.StandardOutput.ReadLineAsync(deadline.Token).ConfigureAwait(false);
        if (!int.TryParse(line, out int port))
        {
            string error = await process.StandardError.ReadToEndAsync(cancel).ConfigureAwait(false);
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the ws echo server did not start: {line} {error}".Trim());
        }

        return new NodeWsServer(process, new Uri($"ws://127.0.0.1:{port}/"));
    }

    /// <summary>The folder holding Conformance.sln, found upwards from the running assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Conformance.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
