using System.Text.RegularExpressions;
using System.Xml.Linq;
using Conformance.Cases;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Gating;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>
/// Runs the harness against <see cref="HostileServer"/> and checks that nothing the target sent became markup:
/// every page parses as XML with only the elements and attributes the templates write, has no raw control
/// characters, shows the hostile text as text, and loads in headless Chromium without console errors.
/// </summary>
[NonParallelizable]
public sealed class HostileReportTests
{
    private const string Agent = "evil <b>agent</b> '\"\u0007";
    private static readonly string[] CaseIds = ["1.1.1", "1.1.2", "1.1.3", "2.1"];
    internal static readonly HashSet<string> OurElements = ["html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "nav", "a", "p", "table", "tbody", "tr", "th", "td", "div", "span", "pre", "colgroup", "col",
        "figure", "figcaption", "strong", "br", "svg", "rect", "circle", "line", "polyline", "text"];
    internal static readonly HashSet<string> OurAttributes = ["lang", "charset", "name", "content", "href", "class", "id", "colspan", "title",
        "xmlns", "role", "aria-label", "width", "height", "viewBox", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "fill", "stroke", "stroke-width", "stroke-opacity",
        "points", "font-size", "text-anchor"];

    private string _folder = "";
    private RunResult _run = null!;

    [OneTimeSetUp]
    public async Task RunAgainstTheHostileServer()
    {
        _folder = Directory.CreateTempSubdirectory("wsconf-hostile-").FullName;
        var cases = CaseSelection.Select(Catalogue.All, CaseIds, []);
        await using var server = new HostileServer();
        var options = new ServerTestOptions { Plan = RunPlan.ForServers([new ServerTarget(Agent, server.Url)], cases) };
        var results = await ServerTesting.RunAsync(options, _ => { }, null, CancellationToken.None);

        _run = new RunResult(new RunInfo
        {
            HarnessVersion = "test",
            CatalogueVersion = Catalogue.Version,
            Mode = "server",
            Started = DateTimeOffset.UtcNow,
            Targets = new Dictionary<string, string> { [Agent] = server.Url.ToString() },
        }, results) { Selection = ReportOptions.Entries(cases) };
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(_run, new GatePolicy().Evaluate(_run), _folder);
    }

    [OneTimeTearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    private IEnumerable<string> Pages() => Directory.EnumerateFiles(_folder, "*.html");

    [Test]
    public void EveryCaseRanAndEveryPageWasWritten()
    {
        Assert.That(_run.Results.Select(r => r.CaseId), Is.EquivalentTo(CaseIds));
        Assert.That(Pages().Count(), Is.EqualTo(CaseIds.Length + 2));
        Assert.That(_run.Results.Single(r => r.CaseId == "1.1.1").Closing.RemoteCloseReason, Is.EqualTo(HostileServer.CloseReason), "the hostile reason reached the model");
        Assert.That(_run.Results.Single(r => r.CaseId == "1.1.1").HttpResponse, Does.Contain(HostileServer.Markup), "the hostile headers reached the model");
        Assert.That(_run.Results.Single(r => r.CaseId == "1.1.1").HttpResponse, Does.Contain("X-Controls: \\x01\\x1b[2J\\x7f\\xe2\\x80\\xaegnp.exe\r\n"),
            "the response head is kept octet for octet: controls and octets above 0x7E as \\x escapes, CR LF as they are");
    }

    [Test]
    public void NoPageHasMarkupOrControlCharactersFromTheTarget()
    {
        foreach (string page in Pages())
        {
            string html = File.ReadAllText(page);
            Assert.That(html, Does.Not.Contain("<script").IgnoreCase.And.Not.Contain("<img").IgnoreCase.And.Not.Contain("<b>").And.Not.Contain("<b "), page);
            Assert.That(Regex.Count(html, "<svg", RegexOptions.IgnoreCase), Is.EqualTo(Regex.Count(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"")), $"{page}: only our pictures");
            Assert.That(Regex.IsMatch(html, "[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]"), Is.False, $"{page}: raw control or bidi characters");

            var document = HtmlDocument.Parse(html);
            var elements = document.Descendants().Select(e => e.Name.LocalName).ToHashSet();
            Assert.That(elements, Is.SubsetOf(OurElements), page);
            var attributes = document.Descendants().SelectMany(e => e.Attributes()).Select(a => a.Name.LocalName).ToHashSet();
            Assert.That(attributes, Is.SubsetOf(OurAttributes), page);
        }
    }

    [Test]
    public void HostileTextIsShownAsText()
    {
        string page = File.ReadAllText(Path.Combine(_folder, ReportNames.CaseFile(Agent, "1.1.1", "html")));

        Assert.That(page, Does.Contain("&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;\\x01\\x08\\x0d\\x0a\\u202E"), "the close reason, control characters as escapes");
        Assert.That(page, Does.Contain("X-Evil: &lt;script&gt;alert(1)&lt;/script&gt;"));
        Assert.That(page, Does.Contain("X-Attr: &quot; onmouseover&#61;&quot;alert(1)&quot; x&#61;&#39;"));
    }

    [Test]
    public void TheDocumentsKeepTheirStructure()
    {
        var index = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder, "index.html")));
        var rows = index.All("table").Single(t => t.Class() == "matrix").Descendants("tr").Where(tr => tr.Attribute("id") is not null).ToList();
        Assert.That(rows.Select(r => r.Attribute("id")!.Value), Is.EqualTo(CaseIds.Select(id => "case-" + id)));
        Assert.That(rows.Select(r => r.Elements("td").Sum(Span)), Is.All.EqualTo(3));

        foreach (string id in CaseIds)
        {
            var page = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder, ReportNames.CaseFile(Agent, id, "html"))));
            var tables = page.All("table").ToDictionary(t => t.Class()!.Split(' ').Last());
            Assert.That(tables.Keys, Is.SupersetOf(new[] { "facts", "verdicts", "closing", "stats", "wire" }), id);
            Assert.That(tables["closing"].Elements("tr").Count(), Is.EqualTo(14), id);
            Assert.That(tables["verdicts"].Elements("tr").Count(), Is.EqualTo(3), id);
            Assert.That(tables["wire"].Elements("tr").Skip(1).Select(tr => tr.Elements("td").Sum(Span)), Is.All.EqualTo(10), id);
            Assert.That(page.All("pre").Count(p => p.Class() == "http"), Is.EqualTo(2), id);
        }

        static int Span(XElement td) => int.Parse(td.Attribute("colspan")?.Value ?? "1", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public void AMegabyteHeaderIsCutWithANote()
    {
        var result = _run.Results.Single(r => r.CaseId == "1.1.1");
        var huge = result with { HttpResponse = result.HttpResponse.Replace("X-Evil:", "X-Huge: " + new string('<', 1 << 20) + "\r\nX-Evil:", StringComparison.Ordinal) };
        var run = _run with { Results = [huge] };
        string folder = Path.Combine(_folder, "huge");
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, new GatePolicy().Evaluate(run), folder);
        string page = File.ReadAllText(Path.Combine(folder, ReportNames.CaseFile(Agent, "1.1.1", "html")));

        Assert.That(page.Length, Is.LessThan(64 * 1024));
        Assert.That(page, Does.Contain("… [cut: 1,048,584 characters, first 2,000 shown]"));
        Assert.DoesNotThrow(() => HtmlDocument.Parse(page));
    }

    [Integration]
    [Test]
    public void ChromiumLoadsTheMatrixAndACasePageWithoutConsoleErrors()
    {
        string chromium = Chromium.Require();

        var (indexDom, indexConsole) = Chromium.Load(chromium, Path.Combine(_folder, "index.html"));
        Assert.That(indexConsole, Is.Empty);
        Assert.That(indexDom, Does.Contain("<table class=\"matrix\">").And.Contain("<svg"));
        Assert.That(Regex.Matches(indexDom, "<tr id=\"case-").Count, Is.EqualTo(CaseIds.Length));
        Assert.That(indexDom, Does.Not.Contain("<script").IgnoreCase);

        var (caseDom, caseConsole) = Chromium.Load(chromium, Path.Combine(_folder, ReportNames.CaseFile(Agent, "1.1.1", "html")));
        Assert.That(caseConsole, Is.Empty);
        Assert.That(caseDom, Does.Contain("<table class=\"wire\">").And.Not.Contain("<script").IgnoreCase.And.Not.Contain("<svg").IgnoreCase);
    }
}
