using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>Golden files for every template, and the report's structure.</summary>
public sealed class HtmlReportTests
{
    private string _folder = "";

    [SetUp]
    public void Render()
    {
        _folder = Directory.CreateTempSubdirectory("wsconf-html-").FullName;
        var run = SampleReport.Build();
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, SampleReport.Gate(run), _folder);
    }

    [TearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    [TestCase("index.html")]
    [TestCase("failures.html")]
    [TestCase("kestrel_10_0_ws_case_6_4_1.html")]
    public void PageMatchesGolden(string page) => Golden.AssertMatches(page, File.ReadAllBytes(Path.Combine(_folder, page)));

    [Test]
    public void EveryShippedPageTemplateHasAGoldenTest()
    {
        var pages = Directory.EnumerateFiles(ScribanTemplateEngine.ShippedFolder, "*" + ScribanTemplateEngine.Extension).Select(f => Path.GetFileName(f)[..^ScribanTemplateEngine.Extension.Length]).Where(n => !n!.StartsWith('_'));
        Assert.That(pages, Is.EquivalentTo(new[] { HtmlReportWriter.IndexTemplate, HtmlReportWriter.FailuresTemplate, HtmlReportWriter.CaseTemplate, HtmlReportWriter.PerformanceTemplate, HtmlReportWriter.CompareTemplate, HtmlReportWriter.CampaignTemplate }), "golden tests here, in PicturesAndCompareTests and in CampaignReportTests");
    }

    [Test]
    public void OnePagePerResultNextToItsJson()
    {
        var pages = Directory.EnumerateFiles(_folder, "*_case_*.html").Select(Path.GetFileName);
        var expected = SampleRun.Results().Select(r => Path.ChangeExtension(ReportNames.CaseFile(r.Agent, r.CaseId, "json"), "html"));
        Assert.That(pages, Is.EquivalentTo(expected));
    }

    [Test]
    public void TheMatrixHasARowPerSelectedCaseAndTwoColumnsPerAgent()
    {
        var index = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder, "index.html")));
        var matrix = index.All("table").Single(t => t.Class() == "matrix");
        var caseRows = matrix.Descendants("tr").Where(tr => tr.Attribute("id") is not null).ToList();

        Assert.That(caseRows.Select(r => r.Attribute("id")!.Value), Is.EqualTo(new[] { "case-1.1.1", "case-2.1", "case-6.4.1", "case-10.1.1" }));
        foreach (var row in caseRows)
        {
            int columns = row.Elements("td").Sum(td => int.Parse(td.Attribute("colspan")?.Value ?? "1", System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(columns, Is.EqualTo(1 + 2 * 2), row.ToString());
        }

        var missing = caseRows[0].Elements("td").Skip(1).ToList();
        Assert.That(missing.Select(td => td.Class()), Is.EqualTo(new[] { "b-missing", "b-missing" }));
        Assert.That(caseRows[2].Elements("td").Select(td => td.Class()), Is.EqualTo(new[] { "case", "b-missing", "b-fail", "c-ok" }), "agents in ordinal order: AutobahnPython first");
        Assert.That(matrix.Descendants("tr").Count(tr => tr.Class() == "title"), Is.EqualTo(2), "subcategory titles of 1.1 and 6.4");
    }

    [Test]
    public void TheFailuresPageListsOnlyCasesThatDidNotPass()
    {
        var failures = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder, "failures.html")));
        var ids = failures.All("tr").Select(tr => tr.Attribute("id")?.Value).OfType<string>();

        // 1.1.1 ran nowhere, 6.4.1 failed (and AutobahnPython lacks it), 10.1.1 is NON-STRICT / WRONG CODE for AutobahnPython; 2.1 passed everywhere.
        Assert.That(ids, Is.EqualTo(new[] { "case-1.1.1", "case-6.4.1", "case-10.1.1" }));
    }

    [Test]
    public void HostileTextInTheModelStaysText()
    {
        string page = File.ReadAllText(Path.Combine(_folder, "kestrel_10_0_ws_case_6_4_1.html"));

        Assert.That(page, Does.Not.Contain("<script"));
        Assert.That(page, Does.Contain("bye &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\\x07\\x0afin &amp; caf\u00e9"), "BEL and LF shown as escapes");
        Assert.DoesNotThrow(() => HtmlDocument.Parse(page));
    }

    [Test]
    public void TheCasePageShowsTheRerunCommandShellQuoted()
    {
        var page = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder, "kestrel_10_0_ws_case_6_4_1.html")));
        string command = page.All("pre").Single(p => p.Class() == "command").Value;

        Assert.That(command, Is.EqualTo("./run.sh test-server ws://127.0.0.1:9001/ --agent 'Kestrel 10.0/ws' --cases 6.4.1"));
    }

    [Test]
    public void ShellQuotingSurvivesQuotesAndControlCharacters()
    {
        Assert.That(ShellQuote.Always("it's"), Is.EqualTo("'it'\\''s'"));
        Assert.That(ShellQuote.Always("a\u0007b'\n"), Is.EqualTo("$'a\\x07b\\'\\n'"));
        Assert.That(ShellQuote.IfNeeded("ws://h:1/p"), Is.EqualTo("ws://h:1/p"));
        Assert.That(ShellQuote.IfNeeded("ws://h/$(rm -rf x)"), Is.EqualTo("'ws://h/$(rm -rf x)'"));
        var info = SampleReport.Build().Info with { Options = new Dictionary<string, string> { ["target"] = "embedded", ["timeout-scale"] = "2.5" } };
        Assert.That(CasePageBuilder.RerunCommand(info, SampleRun.Kestrel, "9.1.1"), Is.EqualTo("./run.sh --cases 9.1.1 --timeout-scale 2.5"));
    }

    [TestCase(Behavior.Ok, CloseBehavior.Failed, "c-fail")]
    [TestCase(Behavior.Ok, CloseBehavior.Unclean, "c-unclean")]
    [TestCase(Behavior.NonStrict, CloseBehavior.Unclean, "b-ns")]
    [TestCase(Behavior.Failed, CloseBehavior.Ok, "b-fail")]
    [TestCase(Behavior.Ok, CloseBehavior.Ok, "b-ok")]
    public void TheCaseHeaderTakesTheColourOfTheWorseVerdict(Behavior behavior, CloseBehavior close, string headingClass)
    {
        var result = SampleRun.Utf8FailFast() with { Behavior = behavior, CloseBehavior = close };
        Assert.That(CasePageBuilder.Build(result, SampleRun.Info, "x.json").HeadingClass, Is.EqualTo(headingClass));
    }

    [Test]
    public void ALongWireLogShowsItsHeadAndTailWithANote()
    {
        var frame = SampleRun.Utf8FailFast().WireLog[0];
        var result = SampleRun.Utf8FailFast() with { WireLog = [.. Enumerable.Range(0, 5000).Select(i => frame with { TimeMs = i })] };
        var page = CasePageBuilder.Build(result, SampleRun.Info, "x.json");

        Assert.That(page.WireLog, Has.Count.EqualTo(CasePageBuilder.HeadRows + CasePageBuilder.TailRows + 1));
        Assert.That(page.WireLog[CasePageBuilder.HeadRows].Note.Single(), Does.Contain("4,600 entries not shown"));
        Assert.That(page.WireLog[^1].Number, Is.EqualTo("5000"));
        Assert.That(page.WireLogNote, Does.Contain("5,000 entries"));
    }
}
