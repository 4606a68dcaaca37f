using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Conformance.Harness.Cli;
using Conformance.Harness.Targets;
using Conformance.Reports.Model;
using Conformance.Tests.Integration;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Cli;

/// <summary>
/// The command line end to end through <see cref="App.RunAsync"/>: exit codes (0 no case FAILED, 1 a case
/// FAILED, 2 usage/spec/unreachable) and one-line errors on stderr without stack traces.
/// </summary>
[TestFixture]
[NonParallelizable] // redirects the process-wide Console.Out / Console.Error
public class CliTests
{
    private KestrelEchoServer? _kestrel;
    private TempFolder? _folder;

    private KestrelEchoServer Kestrel => _kestrel ?? throw new InvalidOperationException("Kestrel is not running");

    private TempFolder Folder => _folder ?? throw new InvalidOperationException("no temp folder");

    [OneTimeSetUp]
    public async Task Start_Kestrel() => _kestrel = await KestrelEchoServer.StartAsync();

    [OneTimeTearDown]
    public async Task Stop_Kestrel()
    {
        if (_kestrel is not null)
        {
            await _kestrel.DisposeAsync();
        }
    }

    [SetUp]
    public void New_folder() => _folder = new TempFolder("wsconf-cli");

    [TearDown]
    public void Delete_folder() => _folder?.Dispose();

    private static Task<CliOutcome> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    /// <summary>Exit code 2, exactly one line on stderr that contains <paramref name="fragment"/>, and no stack trace.</summary>
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
    public async Task No_URL_and_no_spec_is_a_usage_error()
    {
        var outcome = await RunAsync("test-server", "--out", Folder.Path);
        AssertUsageError(outcome, "give the server's URL");
    }

    [Test]
    public async Task A_URL_that_is_not_ws_or_wss_is_a_usage_error()
    {
        var outcome = await RunAsync("test-server", "http://127.0.0.1:9001/", "--out", Folder.Path);
        AssertUsageError(outcome, "is not a ws:// or wss:// URL");
    }

    [Test]
    public async Task An_unknown_case_pattern_is_a_usage_error_before_anything_runs()
    {
        var outcome = await RunAsync("test-server", Kestrel.Url.ToString(), "--cases", "99.9", "--out", Folder.Path);
        AssertUsageError(outcome, "unknown case pattern");
        Assert.That(outcome.Error, Does.Contain("99.9"));
        Assert.That(File.Exists(Folder.File("index.json")), Is.False, "nothing was run");
    }

    [Test]
    public async Task A_spec_file_that_is_not_JSON_is_a_usage_error()
    {
        string spec = Folder.File("broken.json");
        await File.WriteAllTextAsync(spec, "{ \"outdir\": \"./reports\", \"servers\": [ { \"url\": ");
        var outcome = await RunAsync("test-server", "--spec", spec);
        AssertUsageError(outcome, "malformed");
    }

    [Test]
    public async Task A_spec_file_without_cases_is_a_usage_error()
    {
        string spec = Folder.File("nocases.json");
        await File.WriteAllTextAsync(spec, JsonSerializer.Serialize(new
        {
            outdir = Folder.File("reports"),
            servers = new[] { new { agent = "kestrel", url = Kestrel.Url.ToString() } },
        }));
        var outcome = await RunAsync("test-server", "--spec", spec);
        AssertUsageError(outcome, "'cases'");
        Assert.That(Directory.Exists(Folder.File("reports")), Is.False, "nothing was run");
    }

    [Test]
    public async Task An_unreachable_target_is_a_usage_error()
    {
        // A port that refuses: bind it, note it, let it go.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var outcome = await RunAsync("test-server", $"ws://127.0.0.1:{port}/", "--cases", "1.1.1", "--out", Folder.Path);
        AssertUsageError(outcome, "cannot reach");
    }

    [Test]
    public async Task List_prints_the_selected_cases_and_exits_0()
    {
        var outcome = await RunAsync("list", "--cases", "1.1.*");

        var caseLines = outcome.Out.Split('\n').Where(l => Regex.IsMatch(l, @"^\s+1\.1\.\d+\s")).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), outcome.ToString());
            Assert.That(caseLines, Has.Length.EqualTo(8), outcome.ToString());
            Assert.That(caseLines.Select(l => l.Trim().Split(' ')[0]), Is.EqualTo(Enumerable.Range(1, 8).Select(i => $"1.1.{i}")));
            Assert.That(outcome.Out, Does.Contain("8 case(s)"));
            Assert.That(outcome.ErrorLines, Is.Empty, outcome.ToString());
        });
    }

    [Test]
    public async Task A_passing_run_exits_0_and_writes_index_json()
    {
        var outcome = await RunAsync("test-server", Kestrel.Url.ToString(), "--agent", "kestrel", "--cases", "1.1.1", "--out", Folder.Path);

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), outcome.ToString());
        var index = ResultsIndex.Read(Folder.Path);
        Assert.That(index.Keys, Is.EqualTo(new[] { "kestrel" }));
        Assert.That(index["kestrel"].Select(c => (c.CaseId, c.Verdicts)), Is.EqualTo(new[] { ("1.1.1", Verdicts.Ok) }));
    }

    [Test]
    public async Task The_run_records_its_command_line_once_and_quoted_for_a_shell()
    {
        var outcome = await RunAsync("test-server", Kestrel.Url.ToString(), "--agent", "my server", "--cases", "1.1.1*", "--out", Folder.Path);

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), outcome.ToString());
        var info = Conformance.Reports.Writers.RunInfoFile.Read(Folder.Path)!.Value.Info;
        Assert.That(info.CommandLine, Is.EqualTo($"test-server {Kestrel.Url} --agent 'my server' --cases '1.1.1*' --out {Folder.Path}"));
    }

    [Test]
    public async Task A_run_with_a_failing_case_exits_1()
    {
        await using var server = new UnsolicitedTextServer();

        var outcome = await RunAsync("test-server", server.Url.ToString(), "--agent", "nope", "--cases", "1.1.1", "--out", Folder.Path);

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Failed), outcome.ToString());
        Assert.That(server.Handshakes, Is.EqualTo(1), "the case connected and completed the opening handshake");
        var result = ResultsIndex.Read(Folder.Path)["nope"].Single();
        Assert.That(result.CaseId, Is.EqualTo("1.1.1"));
        Assert.That(result.Verdicts.Behavior, Is.EqualTo(Behavior.Failed), $"{result.BehaviorReason} | {result.CloseReason}");
    }

    [Test]
    public void The_test_server_computes_Sec_WebSocket_Accept_as_RFC_6455_does()
    {
        // The example of RFC 6455 §1.3.
        Assert.That(UnsolicitedTextServer.AcceptFor("dGhlIHNhbXBsZSBub25jZQ=="), Is.EqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }
}
