using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Cli;
using Conformance.Harness.Running;
using NUnit.Framework;

namespace Conformance.Tests.Packaging;

/// <summary>
/// The GitHub Action (action.yml) and the README's example workflow, without GitHub: both are linted by
/// real checkers, the README's workflow is this fixture word for word, and the steps run here as on a
/// runner — the workflow's server start, then the action's own scripts with the example's inputs, with
/// files standing in for GITHUB_STEP_SUMMARY and GITHUB_OUTPUT, then its gate step.
/// </summary>
[NonParallelizable]
[Integration]
public sealed partial class ActionTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(3);

    private static string Fixture => Path.Combine(TestContext.CurrentContext.TestDirectory, "Packaging", "Fixtures", "conformance-workflow.yml");

    private static string ActionFile => Path.Combine(Command.RepositoryRoot, "action.yml");

    private string _work = "";
    private string _toolPath = "";

    [OneTimeSetUp]
    public async Task InstallWithTheActionsScript()
    {
        _work = Directory.CreateTempSubdirectory("wsconf-action-").FullName;
        _toolPath = Path.Combine(_work, "wsconf-tool");
        string feed = await PackedTool.FeedAsync();
        var env = PackedTool.IsolatedNuget(_work);
        env["WSCONF_TOOL_PATH"] = _toolPath;
        env["WSCONF_PACKAGE_SOURCE"] = feed;
        env["WSCONF_VERSION"] = HarnessInfo.Version;
        env["GITHUB_PATH"] = Path.Combine(_work, "github-path");
        var install = await Command.RunAsync("bash", [Path.Combine(Command.RepositoryRoot, ".ci", "action", "install-tool.sh")], Step, _work, env);

        Assert.That(install.ExitCode, Is.Zero, install.ToString());
        Assert.That(install.LastLine, Is.EqualTo(VersionAction.Text));
        Assert.That(File.ReadAllText(env["GITHUB_PATH"]).Trim(), Is.EqualTo(_toolPath));
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
    public void The_READMEs_example_workflow_is_this_fixture()
    {
        string readme = File.ReadAllText(Path.Combine(Command.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");
        var blocks = YamlBlock().Matches(readme).Select(m => m.Groups[1].Value).Where(b => b.Contains("uses: wsconf/wsconf@", StringComparison.Ordinal)).ToList();

        Assert.That(blocks, Has.Count.EqualTo(1), "one example workflow in the README");
        Assert.That(blocks[0], Is.EqualTo(File.ReadAllText(Fixture).ReplaceLineEndings("\n")));
    }

    [Test]
    public async Task The_action_and_the_example_workflow_pass_the_checkers()
    {
        var lint = await ActionLinters.LintAsync([Fixture], [ActionFile]);

        Assert.That(lint.ExitCode, Is.Zero, lint.ToString());
        Assert.That(lint.LastLine, Is.EqualTo("2 file(s) checked, 0 finding(s)"));
    }

    [Test]
    public async Task The_checkers_find_a_broken_workflow_and_a_broken_action()
    {
        string workflow = Path.Combine(_work, "broken-workflow.yml");
        File.WriteAllText(workflow, File.ReadAllText(Fixture).Replace("runs-on:", "run-on:", StringComparison.Ordinal));
        string action = Path.Combine(_work, "broken-action.yml");
        File.WriteAllText(action, File.ReadAllText(ActionFile).Replace("using: composite", "using: compose", StringComparison.Ordinal));

        var lint = await ActionLinters.LintAsync([workflow], [action]);

        Assert.That(lint.ExitCode, Is.EqualTo(1), lint.ToString());
        Assert.That(lint.Stdout, Does.Contain("actionlint: " + workflow).And.Contain("runs-on"));
        Assert.That(lint.Stdout, Does.Contain("action-validator: " + action));
    }

    [Test]
    public async Task The_example_workflows_steps_start_a_server_run_the_action_and_pass_the_gate()
    {
        string workspace = Path.Combine(_work, "workspace");
        Directory.CreateDirectory(workspace);
        string pidFile = Path.Combine(workspace, "server.pid");
        // The repository's own script that starts its server; here the embedded echo server of the installed tool.
        string starter = Path.Combine(workspace, "start-server.sh");
        File.WriteAllText(starter, $"#!/usr/bin/env bash\necho $$ > '{pidFile}'\nexec '{Path.Combine(_toolPath, "wsconf")}' serve-echo --port \"$1\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(starter, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        string workflow = File.ReadAllText(Fixture);
        int port = FreePort();
        var jobEnv = new Dictionary<string, string>(PackedTool.IsolatedNuget(_work)) { ["WS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        try
        {
            var start = await Command.RunAsync("bash", ["-e", "-c", RunBlock(workflow, "Start the server under test")], Step, workspace, jobEnv);
            Assert.That(start.ExitCode, Is.Zero, start.ToString());

            var inputs = WithInputs(workflow, "Conformance gate");
            var github = GitHubFiles(workspace);
            var env = new Dictionary<string, string>(jobEnv)
            {
                ["WSCONF_TOOL_PATH"] = _toolPath,
                ["WSCONF_URL"] = inputs["url"].Replace("${{ env.WS_PORT }}", jobEnv["WS_PORT"], StringComparison.Ordinal),
                ["WSCONF_CASES"] = inputs["cases"],
                ["WSCONF_PARALLEL"] = inputs["parallel"],
                ["WSCONF_RESULTS"] = "wsconf-results",
            };
            foreach (var (key, value) in github)
            {
                env[key] = value;
            }

            var test = await Command.RunAsync("bash", [Path.Combine(Command.RepositoryRoot, ".ci", "action", "test-server.sh")], Step, workspace, env);

            Assert.That(test.ExitCode, Is.Zero, test.ToString());
            Assert.That(File.ReadAllText(github["GITHUB_OUTPUT"]), Is.EqualTo("exit-code=0\n"), test.ToString());
            string summary = File.ReadAllText(github["GITHUB_STEP_SUMMARY"]);
            Assert.That(summary, Does.Contain(HarnessInfo.Version).And.Contain(Catalogue.Version));
            foreach (string file in new[] { "index.html", "index.json", "junit.xml", "summary.md" })
            {
                Assert.That(File.Exists(Path.Combine(workspace, "wsconf-results", file)), Is.True, $"{file} in the uploaded folder");
            }

            var gate = await Command.RunAsync("bash", ["-c", GateCommand()], Step, workspace, new Dictionary<string, string> { ["WSCONF_EXIT_CODE"] = "0" });
            Assert.That(gate.ExitCode, Is.Zero);
        }
        finally
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid))
            {
                try
                {
                    using var server = Process.GetProcessById(pid);
                    Command.Stop(server);
                }
                catch (ArgumentException)
                {
                }
            }
        }
    }

    [Test]
    public async Task An_unreachable_server_fails_the_gate_with_wsconfs_exit_code()
    {
        string workspace = Path.Combine(_work, "unreachable");
        Directory.CreateDirectory(workspace);
        var github = GitHubFiles(workspace);
        var env = new Dictionary<string, string>(github)
        {
            ["WSCONF_TOOL_PATH"] = _toolPath,
            ["WSCONF_URL"] = $"ws://127.0.0.1:{FreePort()}",
            ["WSCONF_CASES"] = "1.1.1",
        };

        var test = await Command.RunAsync("bash", [Path.Combine(Command.RepositoryRoot, ".ci", "action", "test-server.sh")], Step, workspace, env);
        Assert.That(test.ExitCode, Is.Zero, "the step itself goes on, so the results are uploaded");
        Assert.That(test.Stderr, Does.StartWith("error: "));
        Assert.That(File.ReadAllText(github["GITHUB_OUTPUT"]), Is.EqualTo("exit-code=2\n"));

        var gate = await Command.RunAsync("bash", ["-c", GateCommand()], Step, workspace, new Dictionary<string, string> { ["WSCONF_EXIT_CODE"] = "2" });
        Assert.That(gate.ExitCode, Is.EqualTo(2));
    }

    private static Dictionary<string, string> GitHubFiles(string workspace)
    {
        var files = new Dictionary<string, string>
        {
            ["GITHUB_STEP_SUMMARY"] = Path.Combine(workspace, "step-summary.md"),
            ["GITHUB_OUTPUT"] = Path.Combine(workspace, "github-output"),
        };
        foreach (string file in files.Values)
        {
            File.WriteAllText(file, "");
        }

        return files;
    }

    /// <summary>The action's last step, as action.yml has it.</summary>
    private static string GateCommand()
    {
        var lines = File.ReadAllLines(ActionFile);
        int gate = Array.FindIndex(lines, l => l.Trim() == "- name: Gate");
        string run = lines.Skip(gate).First(l => l.TrimStart().StartsWith("run: ", StringComparison.Ordinal));
        return run.Trim()["run: ".Length..];
    }

    /// <summary>The <c>run: |</c> block of the named step (our own files' layout: a literal block, indented under the key).</summary>
    private static string RunBlock(string workflow, string stepName)
    {
        var lines = workflow.ReplaceLineEndings("\n").Split('\n');
        int step = Array.FindIndex(lines, l => l.Trim() == $"- name: {stepName}");
        Assert.That(step, Is.GreaterThan(0), stepName);
        int run = Array.FindIndex(lines, step, l => l.Trim() == "run: |");
        int indent = lines[run + 1].Length - lines[run + 1].TrimStart().Length;
        return string.Join('\n', lines.Skip(run + 1).TakeWhile(l => l.Length == 0 || l.Length - l.TrimStart().Length >= indent).Select(l => l.Length >= indent ? l[indent..] : l));
    }

    /// <summary>The <c>with:</c> inputs of the named step, as key → unquoted value.</summary>
    private static Dictionary<string, string> WithInputs(string workflow, string stepName)
    {
        var lines = workflow.ReplaceLineEndings("\n").Split('\n');
        int step = Array.FindIndex(lines, l => l.Trim() == $"- name: {stepName}");
        int with = Array.FindIndex(lines, step, l => l.Trim() == "with:");
        int indent = lines[with + 1].Length - lines[with + 1].TrimStart().Length;
        return lines.Skip(with + 1).TakeWhile(l => l.Length - l.TrimStart().Length == indent && l.Contains(':', StringComparison.Ordinal))
            .Select(l => l.Trim().Split(':', 2))
            .ToDictionary(kv => kv[0], kv => kv[1].Trim().Trim('"'));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
