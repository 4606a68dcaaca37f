using NUnit.Framework;

namespace Conformance.Tests.Packaging;

/// <summary>
/// run.ps1 (the Windows entry point) is run for real under PowerShell 7 and must do what run.sh does:
/// the same exit code and the same last line of output for the README's commands, each pair run in
/// the same empty working folder (so the default results folder, ./reports, is the same path).
/// </summary>
[NonParallelizable]
[Integration]
public sealed class RunScriptsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(6);

    public static IEnumerable<TestCaseData> Commands()
    {
        yield return new TestCaseData((object)new[] { "list" }).SetName("list");
        yield return new TestCaseData((object)new[] { "--cases", "1.*" }).SetName("default run, cases 1.*");
        yield return new TestCaseData((object)new[] { "test-client", "--cases", "1.*" }).SetName("test-client, cases 1.*");
        yield return new TestCaseData((object)new[] { "list", "--cases", "no-such-case" }).SetName("usage error");
    }

    [TestCaseSource(nameof(Commands))]
    public async Task Run_ps1_ends_as_run_sh_does(string[] args)
    {
        string pwsh = await PowerShellTool.EnsureAsync();
        string folder = Directory.CreateTempSubdirectory("wsconf-scripts-").FullName;
        try
        {
            var sh = await Command.RunAsync("bash", [Path.Combine(Command.RepositoryRoot, "run.sh"), .. args], Bound, folder);
            var ps = await Command.RunAsync(pwsh, ["-NoProfile", "-NonInteractive", "-File", Path.Combine(Command.RepositoryRoot, "run.ps1"), .. args], Bound, folder);

            Assert.That(ps.ExitCode, Is.EqualTo(sh.ExitCode), $"run.sh:\n{sh}\nrun.ps1:\n{ps}");
            Assert.That(ps.LastLine, Is.EqualTo(sh.LastLine), $"run.sh:\n{sh}\nrun.ps1:\n{ps}");
            if (sh.ExitCode == 2)
            {
                Assert.That(LastLine(ps.Stderr), Is.EqualTo(LastLine(sh.Stderr)).And.StartWith("error: "), "the same one line on stderr");
            }
            else if (args[0] != "list")
            {
                Assert.That(sh.LastLine, Does.EndWith("index.html"));
                Assert.That(File.Exists(ps.LastLine), Is.True);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
}
