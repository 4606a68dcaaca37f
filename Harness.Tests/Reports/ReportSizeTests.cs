using System.Diagnostics;
using Conformance.Cases.Catalogue;
using Conformance.Harness.Cli;
using Conformance.Reports.Gating;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>
/// The HTML of a full run stays small and quick to render: every catalogue case, category 9 with full wire logs
/// (4,000 entries, the recorder's cap), the others with a dozen entries. Targets: all pages ≤ 20 MB, index.html
/// ≤ 1 MB. The render time (target ≤ 2 s) is printed, not asserted: speed is the benchmark's business
/// (<c>./run.sh report DIR</c> on a full run's folder, see the README's Performance section), never a timed unit test.
/// </summary>
public sealed class ReportSizeTests
{
    [Test]
    public void AFullRunRendersSmall()
    {
        var selection = ReportOptions.Entries(Catalogue.All);
        var frame = new WireFrame
        {
            Opcode = 0, OpcodeName = "CONT", Fin = false, Rsv = 0, Masked = true, MaskKey = "3662d6a6", PayloadLength = 64,
            PayloadText = new string('*', 64), PayloadHex = string.Concat(Enumerable.Repeat("2a", 64)), RawHex = "00c03662d6a6" + string.Concat(Enumerable.Repeat("1c48fc8c", 16)),
        };
        WireEntry[] longLog = [.. Enumerable.Range(0, 4000).Select(i => new WireEntry(i * 0.01, i % 2 == 0 ? WireDirection.Tx : WireDirection.Rx, frame, null))];
        WireEntry[] shortLog = [.. longLog.Take(12)];
        var results = Catalogue.All.Select((c, i) => SampleRun.Utf8FailFast() with
        {
            Agent = "Kestrel (System.Net.WebSockets)",
            CaseId = c.Id.Text,
            CaseIndex = i + 1,
            Category = c.Category,
            CategoryName = selection[i].CategoryName,
            SubcategoryTitle = c.SubcategoryTitle,
            Description = c.Description,
            Expectation = c.Expectation,
            Behavior = Behavior.Ok,
            WireLog = c.Category == 9 ? longLog : shortLog,
        }).ToList();
        var run = new RunResult(SampleReport.Build().Info, results) { Selection = selection };
        string folder = Directory.CreateTempSubdirectory("wsconf-size-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            var files = new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, new GatePolicy().Evaluate(run), folder);
            double seconds = clock.Elapsed.TotalSeconds;
            long index = new FileInfo(files.IndexPath).Length;
            TestContext.Out.WriteLine($"{files.Pages} pages, {files.Bytes / 1e6:0.0} MB, index.html {index / 1e3:0} kB, rendered in {seconds:0.00} s");

            Assert.That(files.Pages, Is.EqualTo(Catalogue.All.Count + 3), "a page per case, index, failures and performance");
            Assert.That(files.Bytes, Is.LessThanOrEqualTo(20_000_000));
            Assert.That(index, Is.LessThanOrEqualTo(1_000_000));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
