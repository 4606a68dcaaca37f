using System.Globalization;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>
/// A run keeps only summaries of finished cases (<see cref="CaseResult.Summary"/>); their pages read the details back
/// from the JSON files. The pages must be the ones the full results give, byte for byte.
/// </summary>
public sealed class SummaryPagesTests
{
    private string _summaries = "";
    private string _full = "";

    [SetUp]
    public void Folders()
    {
        _summaries = Directory.CreateTempSubdirectory("wsconf-summaries-").FullName;
        _full = Directory.CreateTempSubdirectory("wsconf-full-").FullName;
    }

    [TearDown]
    public void Delete()
    {
        Directory.Delete(_summaries, recursive: true);
        Directory.Delete(_full, recursive: true);
    }

    [TestCase("index.html")]
    [TestCase("failures.html")]
    [TestCase("kestrel_10_0_ws_case_6_4_1.html")]
    public void PagesFromSummariesMatchTheGoldenFiles(string page)
    {
        var run = SampleReport.Build();
        RenderFromSummaries(run, _summaries);
        Golden.AssertMatches(page, File.ReadAllBytes(Path.Combine(_summaries, page)));
    }

    [Test]
    public void EveryPageFromSummariesEqualsThePageFromTheFullResults()
    {
        var run = SampleReport.Build() with { Results = [.. SampleReport.Build().Results, Tricky()] };
        RenderFromSummaries(run, _summaries);
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, SampleReport.Gate(run), _full);

        var pages = Directory.EnumerateFiles(_full, "*.html").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.That(Directory.EnumerateFiles(_summaries, "*.html").Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(pages));
        foreach (string page in pages!)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(_summaries, page!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(_full, page!))), page);
        }

        string tricky = File.ReadAllText(Path.Combine(_summaries, ReportNames.CaseFile(Tricky().Agent, Tricky().CaseId, "html")));
        Assert.That(tricky, Does.Contain("4,611,686,018,427,387,905"), "a length above 2^53 is read back exactly");
    }

    [Test]
    public void ASummaryIsNeverWrittenAsTheCaseJson()
    {
        var summary = SampleRun.Utf8FailFast().Summary();
        Assert.That(summary.WireLog, Is.Empty);
        Assert.That(() => new CaseJsonWriter().Render(summary), Throws.ArgumentException);
    }

    [Test]
    public void AMissingCaseFileIsAnIOError()
    {
        var run = SampleReport.Build();
        var summaries = run with { Results = [.. run.Results.Select(r => r.Summary())] };
        Assert.That(() => new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(summaries, SampleReport.Gate(run), _summaries), Throws.InstanceOf<IOException>());
    }

    /// <summary>As a run does it: each full result's JSON file first, then the report from the summaries.</summary>
    private static void RenderFromSummaries(RunResult run, string folder)
    {
        var results = new ResultsFolder(folder);
        foreach (var result in run.Results)
        {
            results.Add(result);
        }

        var summaries = run with { Results = [.. run.Results.Select(r => r.Summary())] };
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(summaries, SampleReport.Gate(run), folder);
    }

    /// <summary>What a JSON round trip could change: times at the rounding midpoint, lengths above 2^53, two expected verdicts, markup and non-ASCII text.</summary>
    private static CaseResult Tricky()
    {
        var random = new Random(6455);
        var frame = SampleRun.Utf8FailFast().WireLog.First(e => e.Frame is not null).Frame!;
        var log = new List<WireEntry>
        {
            new(0.0005, WireDirection.Tx, frame with { PayloadLength = (1L << 62) + 1, PayloadText = "é <b>x</b> \U0001F600" }, "note <i>"),
            WireEntry.ForNote(double.NaN, WireDirection.Local, "no time"),
            WireEntry.ForNote(1234567.8905, WireDirection.Rx, "late"),
        };
        for (int i = 0; i < 500; i++)
        {
            // Stopwatch times: whole 100-ns ticks, so a quarter of them end in 5 at the fourth decimal.
            double ms = TimeSpan.FromTicks(random.NextInt64(0, 600_000_000_000)).TotalMilliseconds;
            log.Add(WireEntry.ForNote(i % 2 == 0 ? ms : Math.Round(ms, 4) + 0.0005, WireDirection.Local, ms.ToString("R", CultureInfo.InvariantCulture)));
        }

        return SampleRun.Case("tricky <agent>", "12.1.1", 12, "WebSocket Compression", 1234.5, 1000) with
        {
            Expected = new Dictionary<string, IReadOnlyList<string>> { ["OK"] = ["a"], ["NON-STRICT"] = ["b"] },
            Received = ["message <script>", "ünïcode", ""],
            HttpRequest = "GET / HTTP/1.1\r\nX: <y>\r\n\r\n",
            HttpResponse = "HTTP/1.1 101 Switching Protocols\r\n\r\n",
            WireLog = log,
        };
    }
}
