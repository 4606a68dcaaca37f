using System.Diagnostics;
using System.Text;
using NUnit.Framework;

namespace Conformance.Tests.Packaging;

/// <summary>What a finished command printed and returned.</summary>
internal sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The last non-empty line of standard output ("" when none).</summary>
    public string LastLine => Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs an external command (dotnet, the installed tool, pwsh, actionlint) with a bound on its time.</summary>
internal static class Command
{
    public static string RepositoryRoot { get; } = Conformance.Harness.Targets.NodeWsServer.RepositoryRoot();

    /// <summary>The dotnet installation that runs these tests (…/dotnet/shared/Microsoft.NETCore.App/x.y.z/ → …/dotnet).</summary>
    public static string DotnetRoot { get; } = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    public static string Dotnet { get; } = Path.Combine(DotnetRoot, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");

    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ROOT"] = DotnetRoot;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // The test host's own variables would make a child dotnet think it runs under the test platform.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("VSTEST_", StringComparison.Ordinal) || k.StartsWith("TESTINGPLATFORM_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(StartInfo(file, args, workingDirectory, environment))
            ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }

        return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>A background process whose first standard-output line containing <paramref name="marker"/> is awaited.</summary>
    public static async Task<(Process Process, string Line)> StartAsync(string file, IEnumerable<string> args, string marker, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = Process.Start(StartInfo(file, args, environment: environment))
            ?? throw new InvalidOperationException($"could not start {file}");
        var seen = new StringBuilder();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancel.Token).ConfigureAwait(false) is { } line)
            {
                seen.AppendLine(line);
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                    return (process, line);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.Kill(entireProcessTree: true);
        process.Dispose();
        Assert.Fail($"{file} {string.Join(' ', args)} never printed '{marker}':\n{seen}");
        throw new InvalidOperationException("unreachable");
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }
}
