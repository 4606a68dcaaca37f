using System.Text;
using System.Xml.Linq;
using Conformance.Reports.Gating;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public sealed class JUnitAndMarkdownTests
{
    [Test]
    public void JUnitMatchesGolden()
    {
        var run = SampleReport.Build();
        Golden.AssertMatches("junit.xml", new JUnitWriter().Render(run, SampleReport.Gate(run)));
    }

    [Test]
    public void MarkdownMatchesGolden()
    {
        var run = SampleReport.Build();
        Golden.AssertMatches("summary.md", Encoding.UTF8.GetBytes(new MarkdownSummaryWriter().Render(run, SampleReport.Gate(run), "reports/index.html")));
    }

    [Test]
    public void JUnitHasASuitePerAgentAndCategoryFailuresFromTheGateAndSkipsForMissing()
    {
        var run = SampleReport.Build();
        var xml = XDocument.Parse(Encoding.UTF8.GetString(new JUnitWriter().Render(run, new GatePolicy { Strict = true }.Evaluate(run))));
        var suites = xml.Root!.Elements("testsuite").ToList();

        Assert.That(suites.Select(s => s.Attribute("name")!.Value), Does.Contain("Kestrel 10.0/ws: 6 UTF-8 Handling"));
        Assert.That(suites, Has.Count.EqualTo(2 * 4));
        var cases = xml.Descendants("testcase").ToList();
        Assert.That(cases, Has.Count.EqualTo(2 * 4));
        Assert.That(cases.Count(c => c.Element("skipped") is not null), Is.EqualTo(3), "1.1.1 twice, 6.4.1 for AutobahnPython");
        Assert.That(cases.Where(c => c.Element("failure") is not null).Select(c => c.Attribute("name")!.Value), Is.EquivalentTo(new[]
        {
            "6.4.1 Send invalid UTF-8 in 3 fragments.",
            "10.1.1 Send text message with payload of length 65 * 2**10.", // NON-STRICT / WRONG CODE fails when strict
        }));
        Assert.That(xml.Root.Attribute("failures")!.Value, Is.EqualTo("2"));
    }

    [Test]
    public void ControlCharactersCannotBreakTheXml()
    {
        var result = SampleRun.Utf8FailFast() with { BehaviorReason = "bad \u0000\u0001\u001b[31m \ud800 ]]> </failure>", Agent = "a\u0007" };
        var run = new RunResult(SampleRun.Info, [result]);
        string xml = Encoding.UTF8.GetString(new JUnitWriter().Render(run, new GatePolicy().Evaluate(run)));

        var failure = XDocument.Parse(xml).Descendants("failure").Single();
        Assert.That(failure.Value, Does.Contain("bad \\u0000\\u0001\\u001B[31m \uFFFD ]]> </failure>"));
    }

    [Test]
    public void MarkdownPutsTargetTextInCodeSpans()
    {
        Assert.That(MarkdownSummaryWriter.Code("@team <img src=x onerror=alert(1)> | `tick` **bold**", 200),
            Is.EqualTo("`` @team <img src=x onerror=alert(1)> \\| `tick` **bold** ``"));
        Assert.That(MarkdownSummaryWriter.Code("line\nbreak", 200), Is.EqualTo("` line\\x0abreak `"));
        Assert.That(MarkdownSummaryWriter.Plain("UTF-8 *x* <b>@me</b> [a](b) | #1", 200), Is.EqualTo("UTF-8 \\*x\\* &lt;b&gt;&#64;me&lt;/b&gt; \\[a\\](b) \\| \\#1"));
    }
}
