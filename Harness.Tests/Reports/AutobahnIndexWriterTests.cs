using System.Text;
using System.Text.Json;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public class AutobahnIndexWriterTests
{
    private static byte[] Render(IEnumerable<CaseResult> results) => new AutobahnIndexWriter().Render([.. results]);

    /// <summary>
    /// The golden file is what Autobahn's own code, <c>json.dumps(res, sort_keys=True, indent=3,
    /// separators=(',', ': '))</c>, prints for the same data (checked with Python when it was made).
    /// </summary>
    [Test]
    public void Matches_the_golden_index_byte_for_byte() =>
        Golden.AssertMatches("index.json", Render(SampleRun.Results()));

    [Test]
    public void As_a_report_writer_it_names_index_json_with_the_same_bytes()
    {
        var run = SampleRun.Build();
        var file = new AutobahnIndexWriter().Files(new Conformance.Reports.Output.ReportContext(run, new Conformance.Reports.Gating.GatePolicy().Evaluate(run), "out")).Single();
        using var stream = new MemoryStream();
        file.Write(stream);
        Assert.That((file.Name, stream.ToArray()), Is.EqualTo(("index.json", Render(SampleRun.Results()))));
    }

    [Test]
    public void Keys_are_in_ordinal_order_so_10_1_1_comes_before_2_1_and_agents_are_sorted()
    {
        string json = Encoding.UTF8.GetString(Render(SampleRun.Results()));
        Assert.Multiple(() =>
        {
            Assert.That(json.IndexOf("\"10.1.1\"", StringComparison.Ordinal), Is.LessThan(json.IndexOf("\"2.1\"", StringComparison.Ordinal)));
            Assert.That(json.IndexOf("\"2.1\"", StringComparison.Ordinal), Is.LessThan(json.IndexOf("\"6.4.1\"", StringComparison.Ordinal)));
            Assert.That(json.IndexOf(SampleRun.Python, StringComparison.Ordinal), Is.LessThan(json.IndexOf(SampleRun.Kestrel, StringComparison.Ordinal)));
        });
    }

    [Test]
    public void Each_entry_has_exactly_Autobahns_five_fields()
    {
        using var index = JsonDocument.Parse(Render(SampleRun.Results()));
        var entry = index.RootElement.GetProperty(SampleRun.Kestrel).GetProperty("6.4.1");
        Assert.Multiple(() =>
        {
            Assert.That(entry.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "behavior", "behaviorClose", "duration", "remoteCloseCode", "reportfile" }));
            Assert.That(entry.GetProperty("behavior").GetString(), Is.EqualTo("FAILED"));
            Assert.That(entry.GetProperty("behaviorClose").GetString(), Is.EqualTo("OK"));
            Assert.That(entry.GetProperty("duration").GetRawText(), Is.EqualTo("2004"));
            Assert.That(entry.GetProperty("remoteCloseCode").GetInt32(), Is.EqualTo(1002));
            Assert.That(entry.GetProperty("reportfile").GetString(), Is.EqualTo("kestrel_10_0_ws_case_6_4_1.json"));
        });
    }

    [TestCase(12.5, "13")]
    [TestCase(-0.5, "-1")]
    [TestCase(0.49, "0")]
    [TestCase(1002.4, "1002")]
    [TestCase(double.NaN, "0")]
    [TestCase(double.PositiveInfinity, "0")]
    public void Duration_is_whole_milliseconds_rounded_half_away_from_zero_like_Python_2(double milliseconds, string expected)
    {
        var result = SampleRun.Case("a", "1.1.1", 1, "Framing", milliseconds, 1000);
        using var index = JsonDocument.Parse(Render([result]));
        Assert.That(index.RootElement.GetProperty("a").GetProperty("1.1.1").GetProperty("duration").GetRawText(), Is.EqualTo(expected));
    }

    [Test]
    public void A_missing_close_code_is_null()
    {
        using var index = JsonDocument.Parse(Render(SampleRun.Results()));
        var entry = index.RootElement.GetProperty(SampleRun.Python).GetProperty("10.1.1");
        Assert.That(entry.GetProperty("remoteCloseCode").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void A_later_result_for_the_same_agent_and_case_replaces_the_earlier_one()
    {
        var first = SampleRun.Case("a", "1.1.1", 1, "Framing", 5, 1000);
        var rerun = first with { Behavior = Behavior.Failed, DurationMs = 9 };
        using var index = JsonDocument.Parse(Render([first, rerun]));
        var cases = index.RootElement.GetProperty("a");
        Assert.Multiple(() =>
        {
            Assert.That(cases.EnumerateObject().Count(), Is.EqualTo(1));
            Assert.That(cases.GetProperty("1.1.1").GetProperty("behavior").GetString(), Is.EqualTo("FAILED"));
        });
    }

    [Test]
    public void Agent_names_with_markup_or_non_ASCII_are_escaped_and_survive_a_round_trip()
    {
        const string agent = "<b>Agent</b> & 'caf\u00e9' \u2603";
        byte[] bytes = Render([SampleRun.Case(agent, "1.1.1", 1, "Framing", 1, 1000)]);
        string json = Encoding.UTF8.GetString(bytes);
        using var index = JsonDocument.Parse(bytes);
        Assert.Multiple(() =>
        {
            Assert.That(bytes.All(b => b < 0x80), Is.True, "only ASCII octets");
            Assert.That(json, Does.Not.Contain("<").And.Not.Contain(">").And.Not.Contain("&").And.Not.Contain("'"));
            Assert.That(index.RootElement.EnumerateObject().Single().Name, Is.EqualTo(agent));
        });
    }

    [Test]
    public void An_empty_run_gives_an_empty_object() =>
        Assert.That(Encoding.UTF8.GetString(Render([])), Is.EqualTo("{}"));
}
