using System.Text.Json;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Clients;

internal static class ClientRuns
{
    /// <summary>Runs the CLI in-process (<see cref="CliRunner"/>). The console is process-wide: callers must be [NonParallelizable].</summary>
    public static Task<CliOutcome> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    /// <summary>The shell's way to put an environment variable into a command line.</summary>
    public static string Env(string name) => OperatingSystem.IsWindows() ? $"%{name}%" : $"\"${name}\"";

    public static string Quote(string path) => $"\"{path}\"";

    /// <summary>Writes a fuzzingserver spec that listens on a free port.</summary>
    public static string WriteSpec(TempFolder folder, string outDir, string[] cases, string[]? exclude = null, Dictionary<string, string[]>? excludeAgentCases = null)
    {
        string path = folder.File("fuzzingserver.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["url"] = "ws://127.0.0.1:0",
            ["options"] = new Dictionary<string, object> { ["failByDrop"] = false },
            ["outdir"] = outDir,
            ["webport"] = 8080,
            ["cases"] = cases,
            ["exclude-cases"] = exclude ?? [],
            ["exclude-agent-cases"] = excludeAgentCases ?? new Dictionary<string, string[]>(),
        }));
        return path;
    }

    /// <summary>Debian's chromium (or another Chromium build on PATH). Missing is a failure: CI installs it.</summary>
    public static string Chromium()
    {
        string[] names = OperatingSystem.IsWindows() ? ["chrome.exe", "msedge.exe"] : ["chromium", "chromium-browser", "google-chrome"];
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in names)
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        Assert.Fail("Chromium is required for the browser test but none is on PATH (tried " + string.Join(", ", names) +
                    "). Install it (Debian: apt-get install chromium); CI installs it. This test fails rather than skips on purpose.");
        return "";
    }
}
