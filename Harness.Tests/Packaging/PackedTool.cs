using Conformance.Harness.Cli;
using Conformance.Harness.Running;
using NUnit.Framework;

namespace Conformance.Tests.Packaging;

/// <summary>
/// wsconf packed once per test run with <c>dotnet pack</c> into a temporary feed folder: the tests' own
/// build of the harness (a fresh machine has no Release build yet), packed without rebuilding it.
/// </summary>
internal static class PackedTool
{
    private static readonly Lazy<Task<string>> _feed = new(PackAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder holding wsconf.&lt;version&gt;.nupkg.</summary>
    public static Task<string> FeedAsync() => _feed.Value;

    public static string PackageFile(string feed) => Path.Combine(feed, $"wsconf.{HarnessInfo.Version}.nupkg");

    private static async Task<string> PackAsync()
    {
        string feed = Directory.CreateTempSubdirectory("wsconf-feed-").FullName;
        string configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
        bool built = File.Exists(Path.Combine(Command.RepositoryRoot, "Harness", "bin", configuration, "net10.0", "wsconf.dll"));
        var pack = await Command.RunAsync(Command.Dotnet,
            ["pack", Path.Combine(Command.RepositoryRoot, "Harness", "Harness.csproj"), "-c", configuration, "-o", feed, "-nologo", "-v", "quiet", .. built ? new[] { "--no-build" } : []],
            TimeSpan.FromMinutes(3)).ConfigureAwait(false);
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        Assert.That(File.Exists(PackageFile(feed)), Is.True, $"dotnet pack made {string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName))}");
        return feed;
    }

    /// <summary>Variables that keep a tool install to the given feed's package and away from any cached copy.</summary>
    public static Dictionary<string, string> IsolatedNuget(string work) => new() { ["NUGET_PACKAGES"] = Path.Combine(work, "nuget-cache") };
}
