using System.Runtime.CompilerServices;
using Conformance.Harness.Cli;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary><c>report</c> and <c>compare</c> as a user runs them (through the command line parser).</summary>
[NonParallelizable]
public sealed class ReportCliTests
{
    private static string AutobahnFolder([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Autobahn");

    private string _folder = "";
    private TextWriter _stdout = null!;
    private StringWriter _captured = null!;

    [SetUp]
    public void Create()
    {
        _folder = Directory.CreateTempSubdirectory("wsconf-cli-").FullName;
        _stdout = Console.Out;
        _captured = new StringWriter();
        Console.SetOut(_captured);
    }

    [TearDown]
    public void Delete()
    {
        Console.SetOut(_stdout);
        Directory.Delete(_folder, recursive: true);
    }

    private string Output => _captured.ToString();

    [Test]
    public async Task ReportRendersAnAutobahnFolderAndEndsWithThePathOfIndexHtml()
    {
        int exit = await App.RunAsync(["report", AutobahnFolder(), "--out", _folder]);

        Assert.That(exit, Is.EqualTo(0), Output);
        Assert.That(Output.TrimEnd().Split('\n')[^1], Is.EqualTo(Path.Combine(_folder, "index.html")));
        Assert.That(Directory.EnumerateFiles(_folder).Select(Path.GetFileName), Is.SupersetOf(new[]
        {
            "index.html", "failures.html", "junit.xml", "summary.md", "nodews_8_x_case_1_1_1.html", "nodews_8_x_case_6_4_1.html", "nodews_8_x_case_7_1_6.html",
        }));
        Assert.That(File.ReadAllText(Path.Combine(_folder, "nodews_8_x_case_6_4_1.html")), Does.Contain("Send invalid UTF-8 text message in 3 fragments"));
    }

    [Test]
    public async Task ReportGatesLikeARun()
    {
        Assert.That(await App.RunAsync(["report", AutobahnFolder(), "--out", _folder, "--strict"]), Is.EqualTo(1), "6.4.1 is NON-STRICT");

        string baseline = Path.Combine(_folder, "baseline.json");
        File.WriteAllText(baseline, """{"6.4.1": {"behavior": "NON-STRICT", "behaviorClose": "OK", "reason": "fails only after PART3"}, "1.1.1": {"behavior": "FAILED", "behaviorClose": "OK"}}""");
        Assert.That(await App.RunAsync(["report", AutobahnFolder(), "--out", _folder, "--strict", "--baseline", baseline]), Is.EqualTo(0));
        Assert.That(Output, Does.Contain("Better than the baseline (tighten it) (1):").And.Contain("1.1.1"));
    }

    [Test]
    public async Task AWrittenBaselineAcceptsTheFolderEvenWhenStrict()
    {
        string baseline = Path.Combine(_folder, "accepted.json");
        await App.RunAsync(["report", AutobahnFolder(), "--out", _folder, "--write-baseline", baseline]);

        Assert.That(await App.RunAsync(["report", AutobahnFolder(), "--out", _folder, "--strict", "--baseline", baseline]), Is.EqualTo(0));
    }

    [Test]
    public async Task CompareExitsOneOnARegression()
    {
        string better = Path.Combine(_folder, "better");
        Directory.CreateDirectory(better);
        File.WriteAllText(Path.Combine(better, "index.json"), File.ReadAllText(Path.Combine(AutobahnFolder(), "index.json")).Replace("NON-STRICT", "OK", StringComparison.Ordinal));

        Assert.That(await App.RunAsync(["compare", AutobahnFolder(), better]), Is.EqualTo(0));
        Assert.That(Output, Does.Contain("Fixes (1):").And.Contain("6.4.1"));
        Assert.That(await App.RunAsync(["compare", better, Path.Combine(AutobahnFolder(), "index.json")]), Is.EqualTo(1));
        Assert.That(Output, Does.Contain("Regressions (1):").And.Contain("1 regression(s)"));
    }

    [TestCase("report", "/nonexistent/folder")]
    [TestCase("compare", "/nonexistent/a", "/nonexistent/b")]
    [TestCase("report", "AUTOBAHN", "--templates", "/nonexistent/templates")]
    [TestCase("report", "AUTOBAHN", "--baseline", "/nonexistent/baseline.json")]
    public async Task UsageErrorsExitTwo(params string[] args)
    {
        var stderr = Console.Error;
        var errors = new StringWriter();
        Console.SetError(errors);
        try
        {
            int exit = await App.RunAsync([.. args.Select(a => a == "AUTOBAHN" ? AutobahnFolder() : a)]);
            Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
            Assert.That(errors.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1).And.Some.StartsWith("error: "));
        }
        finally
        {
            Console.SetError(stderr);
        }
    }

    [Test]
    public async Task ABrokenTemplateIsAUsageError()
    {
        string templates = Path.Combine(_folder, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "index.hbs"), "{{NoSuchValue}}");
        var stderr = Console.Error;
        var errors = new StringWriter();
        Console.SetError(errors);
        try
        {
            Assert.That(await App.RunAsync(["report", AutobahnFolder(), "--out", _folder, "--templates", templates]), Is.EqualTo(ExitCodes.Usage));
            Assert.That(errors.ToString(), Does.Contain("index.hbs").And.Contain("NoSuchValue"));
        }
        finally
        {
            Console.SetError(stderr);
        }
    }
}
