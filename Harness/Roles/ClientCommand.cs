using System.ComponentModel;
using System.Diagnostics;

namespace Conformance.Harness.Roles;

/// <summary>
/// The client under test as a command (<c>test-client --exec</c>): run through <c>/bin/sh -c</c> (<c>cmd /c</c>
/// on Windows) with the harness's URL in its environment, its output collected line by line. Ending it
/// ends its whole process tree.
/// </summary>
internal sealed class ClientCommand : IDisposable
{
    /// <summary>Output lines kept for the end-of-run report.</summary>
    public const int TailLines = 30;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Action<string>? _output;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClientCommand(Process process, Action<string>? output)
    {
        _process = process;
        _output = output;
    }

    public string CommandLine { get; private init; } = "";

    /// <summary>Completes with the exit code once the command has exited and its output is read.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>The last <see cref="TailLines"/> lines the command wrote (stdout and stderr, as they came).</summary>
    public IReadOnlyList<string> Tail
    {
        get
        {
            lock (_tail)
            {
                return _tail.ToArray();
            }
        }
    }

    /// <summary>Starts the command. Throws <see cref="Win32Exception"/> when the shell cannot be started.</summary>
    public static ClientCommand Start(string command, IReadOnlyDictionary<string, string> environment, Action<string>? output)
    {
        var info = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { Arguments = $"/d /s /c \"{command}\"" }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command } };
        info.UseShellExecute = false;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var client = new ClientCommand(process, output) { CommandLine = command };
        process.OutputDataReceived += (_, e) => client.Line(e.Data);
        process.ErrorDataReceived += (_, e) => client.Line(e.Data);
        process.Exited += (_, _) => _ = client.OnExitedAsync();
        process.Start();
        process.StandardInput.Close(); // the client reads nothing from the harness's terminal
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>Ends the command and every process it started; no-op once it has exited.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // already gone
        }
    }

    /// <summary>
    /// The exit is taken from the process itself, not from the end of its output: a process it left behind
    /// may hold the output open. What is still in the pipes is read for a moment first.
    /// </summary>
    private async Task OnExitedAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _exited.TrySetResult(_process.ExitCode);
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }

        _output?.Invoke(line);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
