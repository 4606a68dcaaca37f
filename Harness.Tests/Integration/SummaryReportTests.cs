using Conformance.Cases;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;
using Conformance.Reports.Gating;
using Conformance.Reports.Html;
using Conformance.Reports.Writers;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Integration;

/// <summary>
/// Real results (against the embedded Kestrel server, with compression): the report a run renders from the summaries
/// it keeps, reading each case's details back from its JSON file, is the report of the full results, byte for byte.
/// </summary>
[Integration]
public sealed class SummaryReportTests
{
    [Test]
    public async Task The_report_from_summaries_equals_the_report_from_the_full_results()
    {
        await using var server = await KestrelEchoServer.StartAsync();
        var cases = CaseSelection.Select(Catalogue.All, ["1.1.*", "2.*", "5.1*", "6.4.*", "7.7.*", "9.1.1", "12.1.1*", "13.2.1*", "15.1.*"], []);
        var url = server.DeflateUrl;
        var full = await ServerTesting.RunAsync(new ServerTestOptions { Plan = RunPlan.ForServer(new ServerTarget("kestrel <deflate>", url), cases), Parallel = 4 }, _ => { }, null, CancellationToken.None);
        var info = new Conformance.Reports.Model.RunInfo { HarnessVersion = "1", CatalogueVersion = "c", Mode = "server", Started = DateTimeOffset.UnixEpoch, Targets = new Dictionary<string, string> { ["kestrel <deflate>"] = url.ToString() } };
        var run = new Conformance.Reports.Model.RunResult(info, full);
        var gate = new GatePolicy().Evaluate(run);
        string fromSummaries = Directory.CreateTempSubdirectory("wsconf-summaries-").FullName;
        string fromFull = Directory.CreateTempSubdirectory("wsconf-full-").FullName;
        try
        {
            var folder = new ResultsFolder(fromSummaries);
            foreach (var result in full)
            {
                folder.Add(result);
            }

            new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run with { Results = [.. full.Select(r => r.Summary())] }, gate, fromSummaries);
            new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, gate, fromFull);
            var pages = Directory.EnumerateFiles(fromFull, "*.html").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.That(pages, Has.Count.EqualTo(full.Count + 3), "index, failures, performance and a page per case");
            Assert.That(full.Sum(r => r.WireLog.Count), Is.GreaterThan(full.Count * 5), "the cases have wire logs to read back");
            foreach (string page in pages!)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(fromSummaries, page!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(fromFull, page!))), page);
            }
        }
        finally
        {
            Directory.Delete(fromSummaries, recursive: true);
            Directory.Delete(fromFull, recursive: true);
        }
    }
}
