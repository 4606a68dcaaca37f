using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Conformance.Harness.Targets;

/// <summary>
/// The npm package 'ws' at its pinned version, installed with npm into <c>.tools/node</c> of the checkout
/// (ignored by git) the first time something needs it: the ws target, <c>bench</c> and the tests. Skipped when
/// that version is already there; a lock file keeps two processes on one checkout from installing at once.
/// </summary>
internal static class NodeWsPackage
{
    /// <summary>The pinned ws version (8.18.x line); Autobahn's published ws results are of this line.</summary>
    public const string Version = "8.18.3";

    public const string Spec = "ws@" + Version;

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The npm prefix folder: <c>.tools/node</c> of the repository.</summary>
    public static string InstallDirectory => Path.Combine(NodeWsServer.RepositoryRoot(), ".tools", "node");

    /// <summary>Installs ws once; returns the npm prefix folder (holding node_modules/ws). Throws InvalidOperationException with npm's words when it cannot.</summary>
    public static async Task<string> EnsureInstalledAsync(CancellationToken cancel = default)
    {
        string prefix = InstallDirectory;
        if (InstalledVersion(prefix) == Version)
        {
            return prefix;
        }

        Directory.CreateDirectory(prefix);
        await using var gate = await LockAsync(Path.Combine(prefix, ".install.lock"), cancel).ConfigureAwait(false);
        if (InstalledVersion(prefix) == Version)
        {
            return prefix; // another process installed it while we waited
        }

        string output = await NpmInstallAsync(prefix, cancel).ConfigureAwait(false);
        string? installed = InstalledVersion(prefix);
        return installed == Version
            ? prefix
            : throw new InvalidOperationException($"'npm install {Spec}' into {prefix} finished but node_modules/ws is version '{installed ?? "(missing)"}'. npm said:\n{output}");
    }

    private static string? InstalledVersion(string prefix)
    {
        string package = Path.Combine(prefix, "node_modules", "ws", "package.json");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(package));
            return json.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Runs npm install with both output streams read (so neither can fill up and stall npm); returns what it said.</summary>
    private static async Task<string> NpmInstallAsync(string prefix, CancellationToken cancel)
    {
        // npm is a batch file on Windows, which Process.Start cannot start directly.
        var start = OperatingSystem.IsWindows() ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/d", "/c", "npm" } } : new ProcessStartInfo("npm");
        foreach (string arg in new[] { "install", "--no-audit", "--no-fund", "--no-save", "--prefix", prefix, Spec })
        {
            start.ArgumentList.Add(arg);
        }

        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = prefix;
        var output = new StringBuilder();
        using var npm = new Process { StartInfo = start };
        npm.OutputDataReceived += (_, e) => Collect(output, e.Data);
        npm.ErrorDataReceived += (_, e) => Collect(output, e.Data);
        try
        {
            npm.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"could not start npm ({e.Message}); install Node.js (node and npm on PATH)", e);
        }

        npm.StandardInput.Close();
        npm.BeginOutputReadLine();
        npm.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(InstallTimeout);
        try
        {
            await npm.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            npm.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'npm install {Spec}' did not finish within {InstallTimeout.TotalMinutes} minutes. npm said:\n{Said(output)}");
        }

        npm.WaitForExit(); // flushes the asynchronous readers
        return npm.ExitCode == 0
            ? Said(output)
            : throw new InvalidOperationException($"'npm install {Spec}' into {prefix} failed (exit code {npm.ExitCode}). npm said:\n{Said(output)}");
    }

    private static void Collect(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Said(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString().Trim();
        }
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + InstallTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancel).ConfigureAwait(false);
            }
        }
    }
}
