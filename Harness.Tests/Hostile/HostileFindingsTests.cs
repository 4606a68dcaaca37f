using System.Text.RegularExpressions;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using Conformance.Tests.Reports;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Hostile;

/// <summary>
/// The findings section of index.html and fuzz.html with hostile text in every field a peer or a hand-edited fuzz.json
/// can fill (agent, reasons, signature, script, file names, seed, coverage names): all of it stays text.
/// </summary>
public sealed class HostileFindingsTests
{
    private const string Evil = "<script>alert(1)</script>\" onmouseover=\"x\u0007\u202E";
    private TempFolder _folder = null!;

    [SetUp]
    public void Render()
    {
        _folder = new TempFolder("wsconf-hostile-findings");
        var finding = SampleCampaign.Finding("agent " + Evil, "101.0.1" + Evil, "100.0.1" + Evil, "reason " + Evil) with
        {
            Signature = "sig " + Evil,
            BehaviorReason = "why " + Evil,
            FileStem = "stem\"><img src=x onerror=alert(1)>",
            Script = ["send " + Evil, "</pre><script>x</script>"],
        };
        var campaign = SampleCampaign.Build() with
        {
            Seed = "seed " + Evil,
            Findings = [finding],
            Verdicts = new Dictionary<string, long> { ["verdict " + Evil] = 1 },
            NotPassedByViolation = new Dictionary<string, long> { ["violation " + Evil] = 1 },
            Coverage = new CoverageGrid(["kind " + Evil], ["state " + Evil], ["violation " + Evil], new Dictionary<string, long> { [CoverageGrid.Key("kind " + Evil, "state " + Evil, "violation " + Evil)] = 1 }),
        };
        var run = SampleReport.Build() with { Campaign = campaign };
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, SampleReport.Gate(run), _folder.Path);
    }

    [TearDown]
    public void Delete() => _folder.Dispose();

    [TestCase("index.html")]
    [TestCase("fuzz.html")]
    public void NothingBecomesMarkup(string file)
    {
        string html = File.ReadAllText(Path.Combine(_folder.Path, file));

        Assert.That(html, Does.Not.Contain("<script").IgnoreCase.And.Not.Contain("<img").IgnoreCase.And.Not.Contain("onmouseover=\""));
        Assert.That(Regex.IsMatch(html, "[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]"), Is.False, "raw control or bidi characters");
        var document = HtmlDocument.Parse(html);
        Assert.That(document.Descendants().Select(e => e.Name.LocalName).ToHashSet(), Is.SubsetOf(HostileReportTests.OurElements));
        Assert.That(document.Descendants().SelectMany(e => e.Attributes()).Select(a => a.Name.LocalName).ToHashSet(), Is.SubsetOf(HostileReportTests.OurAttributes));
        Assert.That(html, Does.Contain("why &lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover&#61;&quot;x\\x07\\u202E"));
        Assert.That(html, Does.Contain("&lt;/pre&gt;&lt;script&gt;x&lt;/script&gt;"));
    }

    [Integration]
    [TestCase("index.html")]
    [TestCase("fuzz.html")]
    public void ChromiumLoadsTheFindingsWithoutConsoleErrorsOrScripts(string file)
    {
        var (dom, console) = Chromium.Load(Chromium.Require(), Path.Combine(_folder.Path, file));

        Assert.That(console, Is.Empty);
        Assert.That(dom, Does.Contain("<div class=\"finding\"").And.Contain("<table class=\"coverage\">"));
        Assert.That(dom, Does.Not.Contain("<script").IgnoreCase.And.Not.Contain("<img").IgnoreCase);
    }

    [Test]
    public void TheFindingsLinksStayInTheReportFolder()
    {
        var index = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "index.html")));
        var hrefs = index.All("div").Single(d => d.Class() == "finding").All("a").Select(a => a.Attribute("href")!.Value).ToList();

        Assert.That(hrefs, Has.Count.EqualTo(5));
        Assert.That(hrefs, Has.All.Not.Contain("/..").And.All.Not.Contain("<").And.All.Not.Contain("\"").And.All.Not.StartWith("/").And.All.Not.Contain(":"));
    }
}
