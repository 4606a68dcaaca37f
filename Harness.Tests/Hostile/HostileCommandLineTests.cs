using System.Net;
using System.Net.Sockets;
using Conformance.Harness.Cli;
using Conformance.Tests.Clients;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Hostile;

/// <summary>
/// Issue 13.6, 13.7 and the command-line points of 13.10, through the real command line: each bad input is one line on
/// stderr and exit 2, never a stack trace; listening on every interface is said as it is, with a warning.
/// </summary>
[NonParallelizable] // the console is process-wide
public sealed class HostileCommandLineTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void Fresh() => _folder = new TempFolder("wsconf-hostile-cli");

    [TearDown]
    public void Clean() => _folder.Dispose();

    private string OutDir => Path.Combine(_folder.Path, "out");

    private string Spec(string json)
    {
        string path = _folder.File("spec.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static void AssertUsageError(CliOutcome outcome, string fragment)
    {
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
            Assert.That(outcome.ErrorLines, Has.Count.EqualTo(1), outcome.ToString());
            Assert.That(outcome.Error, Does.Contain(fragment), outcome.ToString());
            Assert.That(outcome.Error + outcome.Out, Does.Not.Contain("   at "), "no stack trace\n" + outcome);
        });
    }

    [Test]
    public async Task An_empty_out_folder_is_a_usage_error() =>
        AssertUsageError(await ClientRuns.RunAsync("test-client", "--port", "0", "--out", "", "--exec", "exit 0"), "the results folder is empty");

    [Test]
    public async Task An_empty_outdir_in_the_spec_is_a_usage_error() =>
        AssertUsageError(await ClientRuns.RunAsync("test-client", "--spec", Spec("""{"url": "ws://127.0.0.1:0", "outdir": "", "cases": ["1.1.1"]}"""), "--exec", "exit 0"),
            "the results folder is empty");

    [Test]
    public async Task A_pattern_that_matches_nothing_says_so() =>
        AssertUsageError(await ClientRuns.RunAsync("test-client", "--port", "0", "--cases", "99.*", "--out", OutDir, "--exec", "exit 0"), "no case matches '99.*'");

    [Test]
    public async Task A_hundred_thousand_unknown_exclusions_make_one_short_error_line()
    {
        var ids = Enumerable.Range(0, 100_000).Select(i => $"\"77.{i}\"");
        var outcome = await ClientRuns.RunAsync("test-client", "--spec", Spec($$"""{"url": "ws://127.0.0.1:0", "cases": ["1.1.1"], "exclude-cases": [{{string.Join(",", ids)}}]}"""), "--out", OutDir, "--exec", "exit 0");

        AssertUsageError(outcome, "and 99990 more");
        Assert.That(outcome.ErrorLines[0].Length, Is.LessThan(400), "1.1 MB before the fix");
    }

    [Test]
    public async Task JSON_nested_too_deep_is_named_as_such() =>
        AssertUsageError(await ClientRuns.RunAsync("test-client", "--spec", Spec("{\"cases\": " + new string('[', 100_000) + "}"), "--out", OutDir, "--exec", "exit 0"),
            "nested deeper than 64 levels");

    [Test]
    public async Task A_duplicate_key_in_a_spec_is_refused() =>
        AssertUsageError(await ClientRuns.RunAsync("test-client", "--spec", Spec("""{"url": "ws://127.0.0.1:0", "cases": ["1.1.1"], "cases": ["2.*"]}"""), "--out", OutDir, "--exec", "exit 0"),
            "the key 'cases' appears twice");

    [Test]
    public async Task A_port_in_use_leaves_no_run_facts_behind()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var outcome = await ClientRuns.RunAsync("test-client", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", OutDir, "--exec", "exit 0");

        AssertUsageError(outcome, "cannot listen");
        Assert.That(File.Exists(Path.Combine(OutDir, "wsconf-run.json")), Is.False, "written only once the harness listens");
    }

    [Test]
    public async Task A_run_that_listens_writes_its_run_facts()
    {
        var outcome = await ClientRuns.RunAsync("test-client", "--port", "0", "--cases", "1.1.1", "--out", OutDir, "--exec", "exit 0");

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Failed), outcome.ToString());
        Assert.That(File.Exists(Path.Combine(OutDir, "wsconf-run.json")), Is.True);
    }

    [Test]
    public async Task Listening_on_every_interface_is_said_as_it_is_with_a_warning()
    {
        var outcome = await ClientRuns.RunAsync("test-client", "--spec", Spec("""{"url": "ws://0.0.0.0:0", "cases": ["1.1.1"]}"""), "--out", OutDir, "--exec", "exit 0");

        string all = outcome.Out + outcome.Error;
        Assert.That(all, Does.Contain("Listening on ws://0.0.0.0:"), outcome.ToString());
        Assert.That(all, Does.Contain("every IPv4 interface"));
        Assert.That(all, Does.Contain("no authentication"));
        Assert.That(all, Does.Not.Contain("Listening on ws://127.0.0.1"));
    }

    [Test]
    public async Task Listening_on_loopback_gives_no_warning()
    {
        var outcome = await ClientRuns.RunAsync("test-client", "--port", "0", "--cases", "1.1.1", "--out", OutDir, "--exec", "exit 0");

        Assert.That(outcome.Out, Does.Contain("Listening on ws://127.0.0.1:"), outcome.ToString());
        Assert.That(outcome.Out + outcome.Error, Does.Not.Contain("no authentication"));
    }

    [TestCase("0")]
    [TestCase("10001")]
    public async Task The_agent_cap_is_checked(string value) =>
        AssertUsageError(await ClientRuns.RunAsync("test-client", "--port", "0", "--max-agents", value, "--out", OutDir, "--exec", "exit 0"), "--max-agents must be between 1 and 10000");
}
