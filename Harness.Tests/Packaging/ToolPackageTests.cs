using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Cli;
using Conformance.Harness.Running;
using NUnit.Framework;

namespace Conformance.Tests.Packaging;

/// <summary>
/// The harness as a .NET tool, as a new user gets it: <c>dotnet pack</c> makes wsconf.&lt;version&gt;.nupkg,
/// <c>dotnet tool install --tool-path … --add-source …</c> installs it from that folder alone (its own NuGet
/// config and package cache, so nothing stale or remote is used), and the installed copy — not the build
/// folder — lists, tests the embedded echo server, tests a client and writes its reports.
/// </summary>
[NonParallelizable]
[Integration]
public sealed partial class ToolPackageTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);

    private string _work = "";
    private string _package = "";
    private string _tool = "";
    private string _installedFolder = "";

    [OneTimeSetUp]
    public async Task PackAndInstall()
    {
        _work = Directory.CreateTempSubdirectory("wsconf-tool-").FullName;
        string feed = await PackedTool.FeedAsync();
        _package = PackedTool.PackageFile(feed);

        string config = Path.Combine(_work, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        string toolPath = Path.Combine(_work, "tools");
        var install = await Command.RunAsync(Command.Dotnet,
            ["tool", "install", "wsconf", "--tool-path", toolPath, "--add-source", feed, "--configfile", config, "--version", HarnessInfo.Version],
            Step, environment: PackedTool.IsolatedNuget(_work));
        Assert.That(install.ExitCode, Is.Zero, install.ToString());
        _tool = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "wsconf.exe" : "wsconf");
        _installedFolder = Path.Combine(toolPath, ".store", "wsconf", HarnessInfo.Version, "wsconf", HarnessInfo.Version, "tools", "net10.0", "any");
        Assert.That(File.Exists(Path.Combine(_installedFolder, "wsconf.dll")), Is.True, "the tool is installed in the tool path's store");
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Test]
    public void The_package_carries_the_templates_the_ws_scripts_and_the_browser_driver_page()
    {
        using var zip = ZipFile.OpenRead(_package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        const string tools = "tools/net10.0/any/";

        Assert.That(entries, Does.Contain(tools + "wsconf.dll"));
        Assert.That(entries, Does.Contain(tools + "DotnetToolSettings.xml"));
        Assert.That(entries, Does.Contain(tools + "ws-echo-server.js"));
        Assert.That(entries, Does.Contain(tools + "ws-client-driver.js"));
        string templates = Path.Combine(Command.RepositoryRoot, "Reports", "Templates");
        var shipped = Directory.GetFiles(templates, "*", SearchOption.AllDirectories).Select(f => tools + "Templates/" + Path.GetRelativePath(templates, f).Replace('\\', '/')).ToList();
        Assert.That(shipped, Is.Not.Empty);
        Assert.That(entries, Is.SupersetOf(shipped), "every file of Reports/Templates is in the package");

        using var dll = new MemoryStream();
        using (var stream = zip.GetEntry(tools + "wsconf.dll")!.Open())
        {
            stream.CopyTo(dll);
        }

        dll.Position = 0;
        using var pe = new PEReader(dll);
        var metadata = pe.GetMetadataReader();
        var resources = metadata.ManifestResources.Select(h => metadata.GetString(metadata.GetManifestResource(h).Name));
        Assert.That(resources, Does.Contain("browser-driver.html"), "the browser driver page is embedded in wsconf.dll");
    }

    [Test]
    public async Task The_installed_tool_prints_its_version_and_lists_cases()
    {
        var version = await Command.RunAsync(_tool, ["--version"], Step);
        Assert.That(version.ExitCode, Is.Zero, version.ToString());
        Assert.That(version.LastLine, Is.EqualTo($"wsconf {HarnessInfo.Version} (catalogue {Catalogue.Version})"));

        var list = await Command.RunAsync(_tool, ["list", "--cases", "1.1.*"], Step);
        Assert.That(list.ExitCode, Is.Zero, list.ToString());
        Assert.That(list.Stdout, Does.Contain("1.1.8"));
    }

    [Test]
    public async Task The_installed_tool_tests_the_embedded_echo_server_and_a_client()
    {
        var (server, line) = await Command.StartAsync(_tool, ["serve-echo", "--port", "0"], "listening on", Step);
        try
        {
            string url = UrlPattern().Match(line).Value;
            Assert.That(url, Does.StartWith("ws://"), line);
            string outServer = Path.Combine(_work, "server-results");
            string junit = Path.Combine(_work, "junit.xml");
            string summary = Path.Combine(_work, "summary.md");
            var run = await Command.RunAsync(_tool, ["test-server", url, "--cases", "1.1.*,2.*", "--out", outServer, "--junit", junit, "--summary-md", summary], Step);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.LastLine, Is.EqualTo(Path.Combine(outServer, "index.html")), run.ToString());
            string index = File.ReadAllText(Path.Combine(outServer, "index.html"));
            Assert.That(index, Does.Contain("1.1.1"), "the report is rendered from the installed templates");
            foreach (var (name, text) in new[] { ("index.html", index), ("JUnit", File.ReadAllText(junit)), ("Markdown summary", File.ReadAllText(summary)) })
            {
                Assert.That(text, Does.Contain(HarnessInfo.Version).And.Contain(Catalogue.Version), $"the {name} says which harness and catalogue judged");
            }
        }
        finally
        {
            Command.Stop(server);
        }

        string outClient = Path.Combine(_work, "client-results");
        var client = await Command.RunAsync(_tool, ["test-client", "--cases", "1.1.*", "--out", outClient], Step);
        Assert.That(client.ExitCode, Is.Zero, client.ToString());
        Assert.That(File.Exists(Path.Combine(outClient, "index.html")), Is.True, client.ToString());
    }

    [Test]
    public async Task The_installed_tool_runs_from_its_own_folder_not_the_build_folder()
    {
        var (server, _) = await Command.StartAsync(_tool, ["serve-echo", "--port", "0"], "listening on", Step);
        try
        {
            string exe = server.MainModule?.FileName ?? "";
            var commandLine = OperatingSystem.IsLinux() ? File.ReadAllText($"/proc/{server.Id}/cmdline").Replace('\0', ' ') : exe;
            TestContext.Out.WriteLine($"the tool runs as: {commandLine}");
            if (OperatingSystem.IsLinux())
            {
                var maps = File.ReadAllLines($"/proc/{server.Id}/maps");
                Assert.That(maps.Any(l => l.EndsWith(Path.Combine(_installedFolder, "wsconf.dll"), StringComparison.Ordinal)), Is.True, "wsconf.dll is loaded from the tool path's store");
                Assert.That(maps.Any(l => l.Contains(Path.Combine(Command.RepositoryRoot, "Harness", "bin"), StringComparison.Ordinal)), Is.False, "nothing from the build folder");
            }
        }
        finally
        {
            Command.Stop(server);
        }
    }

    [GeneratedRegex(@"ws://[^\s]+?(?=[\s.,;—]*(\s|$))")]
    private static partial Regex UrlPattern();
}
