using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Conformance.Harness.Targets;
using NUnit.Framework;

namespace Conformance.Tests.Support;

/// <summary>
/// The npm package <c>ws</c> for the tests, installed once per test run by the harness's own installer
/// (<see cref="NodeWsPackage"/>: <c>.tools/node/</c> of the checkout, shared with <c>./run.sh bench</c>).
/// Node.js is a hard requirement: when <c>node</c> or <c>npm</c> is missing the tests that need it
/// FAIL with a message saying so (CI installs Node.js); they are never skipped.
/// </summary>
internal static class NodeWs
{
    /// <summary>The pinned ws version (8.18.x line).</summary>
    public const string Version = NodeWsPackage.Version;

    private static readonly Lazy<Task<string>> _installed = new(InstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder holding <c>node_modules/ws</c>; installs ws there on the first call of the run.</summary>
    public static Task<string> EnsureInstalledAsync() => _installed.Value;

    private static async Task<string> InstallAsync()
    {
        try
        {
            return await NodeWsPackage.EnsureInstalledAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            Assert.Fail($"{e.Message}\nNode.js (node and npm on PATH) is required for the ws integration tests; CI installs it. These tests fail rather than skip on purpose.");
            throw; // not reached
        }
    }

    public const string NodeMissing =
        "Node.js is required for the ws integration tests but '{0}' could not be started ({1}). " +
        "Install Node.js (node and npm on PATH); CI installs it. These tests fail rather than skip on purpose.";
}

/// <summary>An echo server script in a process of its own (the ws one by default, <c>Harness/Targets/ws-echo-server.js</c>), for the life of a fixture.</summary>
internal sealed class NodeWsEchoServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly StringBuilder _stderr;

    private NodeWsEchoServer(Process process, StringBuilder stderr, Uri url)
    {
        _process = process;
        _stderr = stderr;
        Url = url;
    }

    public const string Agent = "ws " + NodeWs.Version;

    public Uri Url { get; }

    /// <summary>The process has exited on its own; its stderr (a crash's stack trace), or null while it runs.</summary>
    public string? ExitedWith()
    {
        if (!_process.HasExited)
        {
            return null;
        }

        lock (_stderr)
        {
            return $"exit code {_process.ExitCode}: {_stderr}";
        }
    }

    /// <param name="deflate">Start ws with perMessageDeflate (RFC 7692) on: ws-echo-server.js --deflate.</param>
    public static async Task<NodeWsEchoServer> StartAsync(bool deflate = false)
    {
        string moduleDir = await NodeWs.EnsureInstalledAsync().ConfigureAwait(false);
        string script = Path.Combine(AppContext.BaseDirectory, "ws-echo-server.js");
        if (!File.Exists(script))
        {
            Assert.Fail($"{script} is missing: Harness/Targets/ws-echo-server.js must be copied to the output.");
        }

        string[] args = deflate ? [script, moduleDir, "--deflate"] : [script, moduleDir];
        return await StartScriptAsync("node", args, moduleDir,
            e => string.Format(CultureInfo.InvariantCulture, NodeWs.NodeMissing, "node", e.Message)).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts an echo-server script that prints its port as its first line and stops when its stdin
    /// closes (the node ws and Python websockets targets both work this way).
    /// </summary>
    public static async Task<NodeWsEchoServer> StartScriptAsync(string program, IReadOnlyList<string> args, string workingDirectory, Func<Exception, string> missing)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception("Process.Start returned null");
        }
        catch (Win32Exception e)
        {
            Assert.Fail(missing(e));
            throw; // not reached
        }

        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        string? first;
        try
        {
            first = await process.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            first = null;
        }

        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            Stop(process);
            string err;
            lock (stderr)
            {
                err = stderr.ToString();
            }

            Assert.Fail($"{program} {string.Join(' ', args)} did not report its port within {StartTimeout.TotalSeconds} s (first line: '{first ?? "(none)"}'). stderr:\n{err}");
        }

        return new NodeWsEchoServer(process, stderr, new Uri($"ws://127.0.0.1:{port}/"));
    }

    /// <summary>What node wrote on stderr so far (for failure messages).</summary>
    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // The script exits when its stdin closes.
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            Stop(_process);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(3000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}

/// <summary>Runs a short-lived command to completion and collects its output (stdout and stderr interleaved by line).</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync((string File, string[] Prefix) command, IReadOnlyList<string> args, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(command.File)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (string a in command.Prefix.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        var output = new StringBuilder();
        void Collect(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            string name = command.Prefix.Length > 0 ? command.Prefix[^1] : command.File;
            Assert.Fail(string.Format(CultureInfo.InvariantCulture, NodeWs.NodeMissing, name, e.Message));
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{command.File} {string.Join(' ', info.ArgumentList)}' did not finish within {timeout.TotalSeconds} s. Output so far:\n{output}");
        }

        process.WaitForExit(); // flushes the asynchronous output readers
        lock (output)
        {
            return new Result(process.ExitCode, output.ToString());
        }
    }
}
