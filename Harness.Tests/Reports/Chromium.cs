using System.Diagnostics;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c>; .ci/run installs it) loading a local page: the DOM it built and
/// every console message it logged. Missing Chromium skips the test on a developer machine and fails it in CI.
/// </summary>
internal static class Chromium
{
    public static string Require()
    {
        string? found = new[] { Environment.GetEnvironmentVariable("CHROMIUM"), "chromium", "chromium-browser", "google-chrome" }
            .OfType<string>()
            .Select(Resolve)
            .FirstOrDefault(p => p is not null);
        if (found is null)
        {
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            {
                Assert.Fail("headless Chromium is not installed (apt-get install chromium)");
            }

            Assert.Ignore("headless Chromium is not installed (apt-get install chromium)");
        }

        return found!;
    }

    public static (string Dom, IReadOnlyList<string> Console) Load(string chromium, string htmlFile, params string[] extraArguments)
    {
        string profile = Directory.CreateTempSubdirectory("wsconf-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in (string[])
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", .. extraArguments, "--dump-dom", new Uri(htmlFile).AbsoluteUri,
            ])
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"Chromium did not finish loading {htmlFile} within 60 s");
            }

            var console = stderr.Result.Split('\n').Where(line => line.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
            return (stdout.Result, console);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static string? Resolve(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
