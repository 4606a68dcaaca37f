using System.Text.RegularExpressions;
using Conformance.Reports.Compare;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Output;
using Conformance.Reports.Reading;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>performance.html and the compare page: golden files, their pictures, and both in headless Chromium.</summary>
public sealed class PicturesAndCompareTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("wsconf-pictures-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>The sample run plus 9.1.1–9.1.3 (64 KiB, 256 KiB, 1 MiB) and 12.1.1–12.1.2, each slower than the last.</summary>
    public static RunResult RunWithPerformanceCases()
    {
        var sample = SampleReport.Build();
        var extra = new List<CaseResult>();
        string[] sizes = ["64 KiB", "256 KiB", "1 MiB"];
        for (int i = 0; i < sizes.Length; i++)
        {
            extra.Add(SampleRun.Case(SampleRun.Kestrel, $"9.1.{i + 1}", 9, "Limits/Performance", 10 * Math.Pow(4, i), 1000) with
            {
                SubcategoryTitle = "Text Message (increasing size)",
                Description = $"Send a text message of {sizes[i]} in one frame.",
            });
        }

        for (int i = 0; i < 2; i++)
        {
            extra.Add(SampleRun.Case(SampleRun.Kestrel, $"12.1.{i + 1}", 12, "WebSocket Compression (different payloads)", 100 * (i + 1), 1000) with
            {
                SubcategoryTitle = "Large JSON data file (utf8-encoded)",
                Description = $"Send 1000 compressed text messages of {16 << (2 * i)} code points each, taken one after the other.",
                Stats = new WireStats { RxOctets = 9000L << (2 * i) },
            });
        }

        return sample with { Results = [.. sample.Results, .. extra], Selection = [] };
    }

    private string RenderPerformance()
    {
        var run = RunWithPerformanceCases();
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, SampleReport.Gate(run), _folder);
        return Path.Combine(_folder, "performance.html");
    }

    private (string Page, int Exit) RenderCompare()
    {
        string oldDir = Path.Combine(_folder, "old"), newDir = Path.Combine(_folder, "new");
        Directory.CreateDirectory(oldDir);
        Directory.CreateDirectory(newDir);
        var old = SampleRun.Results().ToList();
        var @new = old.Select(r => r.CaseId switch
        {
            "6.4.1" => r with { Behavior = Behavior.Ok },
            "2.1" => r with { Behavior = Behavior.Failed, BehaviorReason = "<b>pong</b> missing" },
            _ => r,
        }).ToList();
        File.WriteAllBytes(Path.Combine(oldDir, "index.json"), new Conformance.Reports.Writers.AutobahnIndexWriter().Render(old));
        File.WriteAllBytes(Path.Combine(newDir, "index.json"), new Conformance.Reports.Writers.AutobahnIndexWriter().Render(@new));
        var before = ResultsReader.ReadIndex(oldDir);
        var after = ResultsReader.ReadIndex(newDir);
        var changes = RunComparison.Compare(before, after);
        var model = ComparePageBuilder.Build(changes, RunComparison.UnchangedFailures(before, after), "old", "new", ".");
        string page = Path.Combine(_folder, "compare.html");
        var file = new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Page("compare.html", HtmlReportWriter.CompareTemplate, () => model);
        AtomicFile.Write(page, file.Write);
        return (page, changes.Any(c => c.Kind == ChangeKind.Regression) ? 1 : 0);
    }

    [Test]
    public void PerformancePageMatchesGolden() => Golden.AssertMatches("performance.html", File.ReadAllBytes(RenderPerformance()));

    [Test]
    public void ComparePageMatchesGolden() => Golden.AssertMatches("compare.html", File.ReadAllBytes(RenderCompare().Page));

    [Test]
    public void TheCategory9ChartHasAPointPerCaseAndTheIndexABarPerCategory()
    {
        var page = HtmlDocument.Parse(File.ReadAllText(RenderPerformance()));
        var figures = page.All("figure").ToList();
        Assert.That(figures.Select(f => f.Attribute("id")?.Value), Is.EqualTo(new[] { "perf-9.1", "perf-12.1-ratio", "perf-12.1-time" }));
        Assert.That(figures[0].All("circle").Count(), Is.EqualTo(3));
        Assert.That(figures[0].All("title").Select(t => t.Value), Has.Some.Contains("case 9.1.3: 160 ms at 1 MiB"));
        Assert.That(figures[1].All("title").Select(t => t.Value), Has.Some.Contains("case 12.1.1: 0.56 at 16"), "9000 wire octets for 1000 × 16");

        var index = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder, "index.html")));
        var bars = index.All("svg").First();
        Assert.That(bars.All("title").Select(t => t.Value), Has.Some.EqualTo("6 UTF-8 Handling: 1 of 1 MISSING (100%)"));
    }

    [Test]
    public void TheComparePageShowsTheRegressionTheFixAndLinksBothRuns()
    {
        var (file, exit) = RenderCompare();
        var page = HtmlDocument.Parse(File.ReadAllText(file));
        var tables = page.All("table").Where(t => t.Class() == "changes").ToList();
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(tables[0].Descendants("td").Select(td => td.Value), Has.Some.StartsWith("FAILED / OK"), "regressions first");
        Assert.That(tables[0].Descendants("a").Select(a => a.Attribute("href")!.Value), Is.EquivalentTo(new[] { "old/autobahnpython_0_10_9_case_2_1.html", "new/autobahnpython_0_10_9_case_2_1.html", "old/kestrel_10_0_ws_case_2_1.html", "new/kestrel_10_0_ws_case_2_1.html" }));
        Assert.That(tables[1].Descendants("td").Select(td => td.Value), Has.Some.StartsWith("OK / OK"), "then fixes");
        Assert.That(page.All("svg").Single().All("rect").Count(), Is.EqualTo(6), "three changed cells (2.1 for both agents, 6.4.1), old and new each");
    }

    [Integration]
    [Test]
    public void ChromiumShowsThePicturesWithoutConsoleErrors()
    {
        string chromium = Chromium.Require();
        string performance = RenderPerformance();
        string compare = RenderCompare().Page;
        foreach (string page in new[] { Path.Combine(_folder, "index.html"), Path.Combine(_folder, "failures.html"), Path.Combine(_folder, "kestrel_10_0_ws_case_9_1_1.html"), performance, compare })
        {
            var (dom, console) = Chromium.Load(chromium, page);
            Assert.That(console, Is.Empty, page);
            Assert.That(dom, Does.Contain("</html>").And.Not.Contain("<script").IgnoreCase, page);
            if (page != Path.Combine(_folder, "kestrel_10_0_ws_case_9_1_1.html") && page != Path.Combine(_folder, "failures.html"))
            {
                Assert.That(Regex.Count(dom, "<svg"), Is.GreaterThan(0), $"{page}: pictures present");
            }
        }
    }

    [Integration]
    [Test]
    public void TheIndexFitsA1280PixelWindowForTwoAgents()
    {
        string chromium = Chromium.Require();
        RenderPerformance();
        // A copy with a measuring script: the report itself has none.
        string probe = Path.Combine(_folder, "probe.html");
        File.WriteAllText(probe, File.ReadAllText(Path.Combine(_folder, "index.html")).Replace("</body>",
            "<script>document.body.setAttribute('data-width', document.documentElement.scrollWidth)</script></body>", StringComparison.Ordinal));
        var (dom, _) = Chromium.Load(chromium, probe, "--window-size=1280,900");
        int width = int.Parse(Regex.Match(dom, "data-width=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(width, Is.LessThanOrEqualTo(1280));
    }
}
