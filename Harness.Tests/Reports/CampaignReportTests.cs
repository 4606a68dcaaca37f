using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>A fuzzing campaign in the report: fuzz.html and fuzz.json (golden files), and the findings section of index.html.</summary>
public sealed class CampaignReportTests
{
    private string _folder = "";

    [SetUp]
    public void Render()
    {
        _folder = Directory.CreateTempSubdirectory("wsconf-campaign-").FullName;
        var run = SampleReport.Build() with { Campaign = SampleCampaign.Build() };
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, SampleReport.Gate(run), _folder);
        File.WriteAllBytes(Path.Combine(_folder, CampaignJson.FileName), CampaignJson.Render(run.Campaign!));
    }

    [TearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    [TestCase("fuzz.html")]
    [TestCase("fuzz.json")]
    public void FileMatchesGolden(string file) => Golden.AssertMatches(file, File.ReadAllBytes(Path.Combine(_folder, file)));

    [Test]
    public void FuzzJsonReadsBackToTheSameCampaign()
    {
        var back = CampaignJson.Read(_folder);

        Assert.That(back, Is.Not.Null);
        Assert.That(CampaignJson.Render(back!), Is.EqualTo(CampaignJson.Render(SampleCampaign.Build())));
        Assert.That(back!.Findings.Select(f => (f.CaseId, f.HasReproduction, f.Shrunk)), Is.EqualTo(new[] { ("101.0.5", true, true), ("101.0.14", false, false) }));
    }

    [Test]
    public void IndexHtmlHasAFindingsSectionWithItsLinksAndScript()
    {
        var index = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder, "index.html")));
        var findings = index.All("div").Where(d => d.Class() == "finding").ToList();

        Assert.That(findings.Select(f => f.Attribute("id")!.Value), Is.EqualTo(new[] { "finding-101.0.5", "finding-101.0.14" }));
        var links = findings[0].All("a").Select(a => (a.Value, a.Attribute("href")!.Value)).ToList();
        Assert.That(links, Is.SupersetOf(new[]
        {
            ("minimal case", "kestrel_10_0_ws_case_101_0_5.html"),
            ("case as generated", "kestrel_10_0_ws_case_100_0_5.html"),
            ("finding file", "findings/101_0_5.json"),
            ("Python reproduction", "findings/101_0_5.py"),
        }));
        Assert.That(findings[1].All("a").Select(a => a.Value), Does.Not.Contain("Python reproduction"), "no .py was written for it");
        Assert.That(findings[0].All("pre").Single().Value, Is.EqualTo("send TEXT fin=0 payload=ce <b>\nsend CONT fin=1 payload=ba80 [chop=1]\n"));
        Assert.That(findings[0].Value, Does.Contain("FAILED").And.Contain("7 action(s) shrunk to 2 in 31 rerun(s)."));
        Assert.That(findings[1].Value, Does.Contain("kept as generated"));

        var figures = index.All("table").Single(t => t.Class() == "kv campaign").Elements("tr").ToDictionary(tr => tr.Element("th")!.Value, tr => tr.Element("td")!.Value);
        Assert.That(figures["Seed"], Does.StartWith("42 "));
        Assert.That(figures["Cases run"], Does.StartWith("100 "));
        Assert.That(figures["Cases per second"], Does.StartWith("25.0 "));
        Assert.That(figures["Coverage"], Does.StartWith("3 of 12 cells"));
        Assert.That(index.All("p").Select(p => p.Value), Does.Contain("Shard(s) 1, 3 of 3 are missing: these figures cover 1 of the campaign's 3 parts."));
    }

    [Test]
    public void TheCoverageGridHasARowPerKindAndStateAndAColumnPerViolation()
    {
        var grid = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder, "index.html"))).All("table").Single(t => t.Class() == "coverage");
        var rows = grid.Elements("tr").Skip(1).ToList();

        Assert.That(rows.Select(r => r.Element("th")!.Value), Is.EqualTo(new[] { "Text / Idle", "Text / InTextMessage", "Ping / Idle", "Ping / InTextMessage" }));
        Assert.That(rows.Select(r => string.Join(" ", r.Elements("td").Select(td => td.Value))), Is.EqualTo(new[] { "80 · ·", "· · 3", "· 1 ·", "· · ·" }));
        Assert.That(rows[0].Elements("td").Select(td => td.Class()), Is.EqualTo(new[] { "num hit", "num miss", "num miss" }));
    }

    [Test]
    public void ARunWithoutACampaignHasNoCampaignSectionOrPage()
    {
        string folder = Path.Combine(_folder, "plain");
        var run = SampleReport.Build();
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, SampleReport.Gate(run), folder);

        Assert.That(File.Exists(Path.Combine(folder, "fuzz.html")), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(folder, "index.html")), Does.Not.Contain("Fuzzing campaign").And.Not.Contain("id=\"findings\""));
    }
}
