using System.Runtime.CompilerServices;
using Conformance.Reports.Gating;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Reading;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public sealed class ResultsReaderTests
{
    private static string AutobahnFolder([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Autobahn");

    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("wsconf-read-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void OurFolderReadsBackToTheSameRecords()
    {
        var run = SampleReport.Build();
        var folder = new ResultsFolder(_folder);
        foreach (var result in run.Results)
        {
            folder.Add(result);
        }

        RunInfoFile.Write(_folder, run.Info, run.Selection);
        var read = new ResultsReader().Read(_folder);

        Assert.That(read.Format, Is.EqualTo("wsconf"));
        Assert.That(read.Warnings, Is.Empty);
        Assert.That(read.Run.Info, Is.EqualTo(run.Info).Using<RunInfo>(SameInfo));
        Assert.That(read.Run.Selection, Is.EqualTo(run.Selection));
        var writer = new CaseJsonWriter();
        foreach (var original in run.Results)
        {
            var back = read.Run.Results.Single(r => r.Agent == original.Agent && r.CaseId == original.CaseId);
            Assert.That(writer.Render(back), Is.EqualTo(writer.Render(original)), $"{original.Agent} {original.CaseId}");
        }
    }

    private static bool SameInfo(RunInfo a, RunInfo b) =>
        a.HarnessVersion == b.HarnessVersion && a.CatalogueVersion == b.CatalogueVersion && a.Mode == b.Mode && a.Started == b.Started && a.Finished == b.Finished
        && a.CommandLine == b.CommandLine && a.Targets.OrderBy(t => t.Key).SequenceEqual(b.Targets.OrderBy(t => t.Key)) && a.Options.OrderBy(t => t.Key).SequenceEqual(b.Options.OrderBy(t => t.Key));

    [Test]
    public void AnAutobahnFolderIsReadAsFarAsItMaps()
    {
        var read = new ResultsReader().Read(AutobahnFolder());

        Assert.That(read.Format, Is.EqualTo("Autobahn|Testsuite"));
        Assert.That(read.Warnings.Single(), Does.Contain("nodews_8_x_case_7_1_6.json"));
        Assert.That(read.Run.Results.Select(r => $"{r.CaseId} {r.Behavior.Label()}/{r.CloseBehavior.Label()}"), Is.EqualTo(new[]
        {
            "1.1.1 OK/OK", "6.4.1 NON-STRICT/OK", "7.1.6 INFORMATIONAL/INFORMATIONAL",
        }));
        var writer = new CaseJsonWriter();
        foreach (var result in read.Run.Results)
        {
            Golden.AssertMatches($"autobahn-read_{result.CaseId.Replace('.', '_')}.json", writer.Render(result));
        }
    }

    [Test]
    public void AnAutobahnFolderRendersAsHtml()
    {
        var run = new ResultsReader(id => id == "7.1.6" ? new CatalogueEntry("7.1.6", 7, "Close Handling", "Basic close behavior", "Send 256K message followed by close then a ping.") : null)
            .Read(AutobahnFolder()).Run;
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, new GatePolicy().Evaluate(run), _folder, AutobahnFolder());

        var index = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder, "index.html")));
        Assert.That(index.All("tr").Count(tr => tr.Attribute("id") is not null), Is.EqualTo(3));
        Assert.That(index.ToString(), Does.Contain("7 Close Handling"), "category name from the catalogue lookup");
        var page = HtmlDocument.Parse(File.ReadAllText(Path.Combine(_folder, "nodews_8_x_case_6_4_1.html")));
        var wireRows = page.All("table").Single(t => t.Class() == "wire").Elements("tr").Skip(1).ToList();
        Assert.That(wireRows, Has.Count.EqualTo(11));
        Assert.That(wireRows[8].Value, Does.Contain("close code 1007, reason: Invalid UTF-8 sequence"));
        Assert.That(page.All("a").Select(a => a.Attribute("href")!.Value), Does.Contain(Path.GetRelativePath(_folder, AutobahnFolder()).Replace('\\', '/') + "/nodews_8_x_case_6_4_1.json"));
    }

    [Test]
    public void AReportFileNameThatLeavesTheFolderIsNotRead()
    {
        File.WriteAllText(Path.Combine(_folder, "index.json"), """{"a": {"1.1.1": {"behavior": "OK", "behaviorClose": "OK", "reportfile": "../../etc/passwd"}}}""");

        var read = new ResultsReader().Read(_folder);

        Assert.That(read.Warnings.Single(), Does.Contain("no usable reportfile"));
        Assert.That(read.Run.Results.Single().Behavior, Is.EqualTo(Behavior.Ok));
    }
}
