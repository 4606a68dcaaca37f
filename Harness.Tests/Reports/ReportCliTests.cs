using System.Runtime.CompilerServices;
using Conformance.Harness.Cli;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary><c>report</c> and <c>compare</c> as a user runs them (through the command line parser).</summary>
[NonParallelizable]
public sealed class ReportCliTests
{
    private static string AutobahnFolder([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Autobahn");

    private readonly System.Text.StringBuilder _output = new();
    private readonly System.Text.StringBuilder _error = new();
    private TempFolder _temp = null!;

    private string Folder => _temp.Path;

    [SetUp]
    public void Create()
    {
        _temp = new TempFolder("wsconf-cli");
        _output.Clear();
        _error.Clear();
    }

    [TearDown]
    public void Delete() => _temp.Dispose();

    /// <summary>What this test's runs wrote on stdout, all of them.</summary>
    private string Output => _output.ToString();

    /// <summary>The non-empty lines this test's runs wrote on stderr.</summary>
    private IReadOnlyList<string> ErrorLines => new CliOutcome(0, "", _error.ToString(), TimeSpan.Zero).ErrorLines;

    /// <summary>Runs the CLI (<see cref="CliRunner"/>), keeps its stdout in <see cref="Output"/>, returns its exit code.</summary>
    private async Task<int> RunAsync(string[] args)
    {
        var outcome = await CliRunner.RunAsync(args);
        _output.Append(outcome.Out);
        _error.Append(outcome.Error);
        return outcome.Exit;
    }

    [Test]
    public async Task ReportRendersAnAutobahnFolderAndEndsWithThePathOfIndexHtml()
    {
        int exit = await RunAsync(["report", AutobahnFolder(), "--out", Folder]);

        Assert.That(exit, Is.EqualTo(0), Output);
        Assert.That(Output.TrimEnd().Split('\n')[^1], Is.EqualTo(Path.Combine(Folder, "index.html")));
        Assert.That(Directory.EnumerateFiles(Folder).Select(Path.GetFileName), Is.SupersetOf(new[]
        {
            "index.html", "failures.html", "junit.xml", "summary.md", "nodews_8_x_case_1_1_1.html", "nodews_8_x_case_6_4_1.html", "nodews_8_x_case_7_1_6.html",
        }));
        Assert.That(File.ReadAllText(Path.Combine(Folder, "nodews_8_x_case_6_4_1.html")), Does.Contain("Send invalid UTF-8 text message in 3 fragments"));
    }

    [Test]
    public async Task ReportGatesLikeARun()
    {
        Assert.That(await RunAsync(["report", AutobahnFolder(), "--out", Folder, "--strict"]), Is.EqualTo(1), "6.4.1 is NON-STRICT");

        string baseline = Path.Combine(Folder, "baseline.json");
        File.WriteAllText(baseline, """{"6.4.1": {"behavior": "NON-STRICT", "behaviorClose": "OK", "reason": "fails only after PART3"}, "1.1.1": {"behavior": "FAILED", "behaviorClose": "OK"}}""");
        Assert.That(await RunAsync(["report", AutobahnFolder(), "--out", Folder, "--strict", "--baseline", baseline]), Is.EqualTo(0));
        Assert.That(Output, Does.Contain("Better than the baseline (tighten it) (1):").And.Contain("1.1.1"));
    }

    [Test]
    public async Task AWrittenBaselineAcceptsTheFolderEvenWhenStrict()
    {
        string baseline = Path.Combine(Folder, "accepted.json");
        await RunAsync(["report", AutobahnFolder(), "--out", Folder, "--write-baseline", baseline]);

        Assert.That(await RunAsync(["report", AutobahnFolder(), "--out", Folder, "--strict", "--baseline", baseline]), Is.EqualTo(0));
    }

    [Test]
    public async Task CompareExitsOneOnARegression()
    {
        string better = Path.Combine(Folder, "better");
        Directory.CreateDirectory(better);
        File.WriteAllText(Path.Combine(better, "index.json"), File.ReadAllText(Path.Combine(AutobahnFolder(), "index.json")).Replace("NON-STRICT", "OK", StringComparison.Ordinal));

        Assert.That(await RunAsync(["compare", AutobahnFolder(), better]), Is.EqualTo(0));
        Assert.That(Output, Does.Contain("Fixes (1):").And.Contain("6.4.1"));
        Assert.That(await RunAsync(["compare", better, Path.Combine(AutobahnFolder(), "index.json")]), Is.EqualTo(1));
        Assert.That(Output, Does.Contain("Regressions (1):").And.Contain("1 regression(s)"));
    }

    [TestCase("report", "/nonexistent/folder")]
    [TestCase("compare", "/nonexistent/a", "/nonexistent/b")]
    [TestCase("report", "AUTOBAHN", "--templates", "/nonexistent/templates")]
    [TestCase("report", "AUTOBAHN", "--baseline", "/nonexistent/baseline.json")]
    public async Task UsageErrorsExitTwo(params string[] args)
    {
        int exit = await RunAsync([.. args.Select(a => a == "AUTOBAHN" ? AutobahnFolder() : a)]);

        Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
        Assert.That(ErrorLines, Has.Count.EqualTo(1).And.Some.StartsWith("error: "));
    }

    [Test]
    public async Task ABrokenTemplateIsAUsageError()
    {
        string templates = Path.Combine(Folder, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "index.sbn-html"), "{{ NoSuchValue }}");

        Assert.That(await RunAsync(["report", AutobahnFolder(), "--out", Folder, "--templates", templates]), Is.EqualTo(ExitCodes.Usage));
        Assert.That(ErrorLines.Last(), Does.StartWith("error: ").And.Contain("index.sbn-html").And.Contain("NoSuchValue"));
    }
}
