using NUnit.Framework;

namespace Conformance.Tests.Packaging;

/// <summary>
/// PowerShell 7: <c>pwsh</c> on PATH, or else the .NET tool <c>PowerShell</c> installed once per checkout into
/// <c>.tools/pwsh</c> (ignored by git), as <c>.ci/run</c> does on a machine without it. 7.6.10 is pinned:
/// 7.7.0 does not install as a tool here.
/// </summary>
internal static class PowerShellTool
{
    public const string Version = "7.6.10";

    private static readonly Lazy<Task<string>> _pwsh = new(FindOrInstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ToolPath { get; } = Path.Combine(Command.RepositoryRoot, ".tools", "pwsh");

    /// <summary>The pwsh executable to run.</summary>
    public static Task<string> EnsureAsync() => _pwsh.Value;

    private static async Task<string> FindOrInstallAsync()
    {
        string name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        string installed = Path.Combine(ToolPath, name);
        if (File.Exists(installed))
        {
            return installed;
        }

        string? onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        var install = await Command.RunAsync(Command.Dotnet, ["tool", "install", "PowerShell", "--version", Version, "--tool-path", ToolPath], TimeSpan.FromMinutes(3)).ConfigureAwait(false);
        Assert.That(install.ExitCode, Is.Zero, $"installing PowerShell {Version} as a .NET tool failed\n{install}");
        return installed;
    }
}
