using System.Text;
using System.Text.Json;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public class CaseJsonWriterTests
{
    private static readonly string[] AutobahnFields =
    [
        "id", "case", "description", "expectation", "agent", "started", "duration", "behavior", "behaviorClose",
        "result", "resultClose", "expected", "expectedClose", "received", "closedByMe", "failedByMe", "droppedByMe",
        "wasClean", "wasNotCleanReason", "wasServerConnectionDropTimeout", "wasOpenHandshakeTimeout",
        "wasCloseHandshakeTimeout", "localCloseCode", "localCloseReason", "remoteCloseCode", "remoteCloseReason",
        "isServer", "httpRequest", "httpResponse", "rxFrameStats", "txFrameStats", "wirelog",
    ];

    private static readonly string[] OurFields = ["rxOctets", "txOctets", "rfcSection", "requirement", "category", "categoryName", "subcategory"];

    private static byte[] Render(CaseResult result) => new CaseJsonWriter().Render(result);

    private static JsonDocument Parse(CaseResult result) => JsonDocument.Parse(Render(result));

    [Test]
    public void Matches_the_golden_case_file_byte_for_byte()
    {
        var result = SampleRun.Utf8FailFast();
        Assert.That(ReportNames.CaseFile(result.Agent, result.CaseId, "json"), Is.EqualTo("kestrel_10_0_ws_case_6_4_1.json"));
        Golden.AssertMatches(ReportNames.CaseFile(result.Agent, result.CaseId, "json"), Render(result));
    }

    [Test]
    public void A_handshake_expectation_is_written_only_for_the_cases_that_have_one_and_reads_back()
    {
        var refused = SampleRun.Utf8FailFast() with { ExpectedHandshake = "refused: OK 400, NON-STRICT 4xx", ExpectedClose = "" };
        using var json = Parse(refused);
        var back = Conformance.Reports.Reading.CaseRecord.ToResult(refused.Agent, refused.CaseId, new Conformance.Reports.Reading.IndexEntry("FAILED", "OK", null, null, null),
            (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(Render(refused))!, null);

        Assert.That(json.RootElement.GetProperty("expectedHandshake").GetString(), Is.EqualTo("refused: OK 400, NON-STRICT 4xx"));
        Assert.That(back.ExpectedHandshake, Is.EqualTo(refused.ExpectedHandshake));
        Assert.That(back.ExpectedClose, Is.Empty);
    }

    [Test]
    public void Has_Autobahns_field_names_and_ours_and_nothing_else()
    {
        using var json = Parse(SampleRun.Utf8FailFast());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name);
        Assert.That(names, Is.EquivalentTo(AutobahnFields.Concat(OurFields)));
    }

    [Test]
    public void Keys_are_sorted_ordinally_at_every_level_except_the_opcode_maps()
    {
        using var json = Parse(SampleRun.Utf8FailFast());
        AssertSorted(json.RootElement, "$");
    }

    [Test]
    public void Frame_counts_are_keyed_by_opcode_in_numeric_order_as_Python_sorts_int_keys()
    {
        using var json = Parse(SampleRun.Utf8FailFast());
        var rx = json.RootElement.GetProperty("rxFrameStats").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32()));
        Assert.That(rx, Is.EqualTo(new[] { ("8", 1), ("9", 1), ("10", 2) }));
    }

    [Test]
    public void Started_is_UTC_ISO_8601_with_milliseconds_and_Z()
    {
        using var json = Parse(SampleRun.Utf8FailFast());
        Assert.That(json.RootElement.GetProperty("started").GetString(), Is.EqualTo("2025-11-15T07:08:07.654Z"));
    }

    [Test]
    public void Hostile_close_reason_is_escaped_in_the_file_and_unchanged_when_read_back()
    {
        byte[] bytes = Render(SampleRun.Utf8FailFast());
        string text = Encoding.UTF8.GetString(bytes);
        using var json = JsonDocument.Parse(bytes);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("<script>"));
            Assert.That(text, Does.Contain(@"\u003Cscript\u003E"));
            Assert.That(bytes.All(b => b is >= 0x20 and < 0x80 or (byte)'\n'), Is.True, "printable ASCII and line breaks only");
            Assert.That(json.RootElement.GetProperty("remoteCloseReason").GetString(), Is.EqualTo(SampleRun.HostileCloseReason));
        });
    }

    [Test]
    public void Wire_log_lines_carry_time_direction_and_either_a_frame_or_a_note()
    {
        string text = Encoding.UTF8.GetString(Render(SampleRun.Utf8FailFast()));
        using var json = JsonDocument.Parse(text);
        var log = json.RootElement.GetProperty("wirelog").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(log.Select(l => l.GetProperty("dir").GetString()), Is.EqualTo(new[] { "tx", "local", "rx", "local" }));
            Assert.That(log[0].GetProperty("frame").GetProperty("maskKey").GetString(), Is.EqualTo("0a0b0c0d"));
            Assert.That(log[0].GetProperty("frame").GetProperty("writing").GetString(), Is.EqualTo("whole"));
            Assert.That(log[0].TryGetProperty("note", out _), Is.False);
            Assert.That(log[1].GetProperty("note").GetString(), Is.EqualTo("pause 1 s (A)"));
            Assert.That(log[1].TryGetProperty("frame", out _), Is.False);
            Assert.That(log[2].GetProperty("frame").GetProperty("maskKey").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(log[2].GetProperty("frame").GetProperty("payloadCut").GetBoolean(), Is.True);
            Assert.That(text, Does.Contain("\"t\": 0.500\n").And.Contain("\"t\": 1000.250\n").And.Contain("\"t\": 2003.125\n"));
        });
    }

    [Test]
    public void A_minimal_result_with_odd_numbers_still_writes_valid_JSON()
    {
        var result = SampleRun.Case("a", "1.1.1", 1, "Framing", double.NaN, null) with
        {
            WireLog = [WireEntry.ForNote(double.NaN, WireDirection.Local, "x"), WireEntry.ForNote(double.MaxValue, (WireDirection)42, "y")],
        };
        using var json = Parse(result);
        var log = json.RootElement.GetProperty("wirelog");
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("duration").GetInt64(), Is.Zero);
            Assert.That(log[0].GetProperty("t").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(log[1].GetProperty("dir").GetString(), Is.EqualTo("42"));
        });
    }

    private static void AssertSorted(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var names = element.EnumerateObject().Select(p => p.Name).ToList();
            var expected = path is "$.rxFrameStats" or "$.txFrameStats"
                ? names.OrderBy(int.Parse).ToList()
                : names.Order(StringComparer.Ordinal).ToList();
            Assert.That(names, Is.EqualTo(expected), $"keys of {path}");
            foreach (var property in element.EnumerateObject())
            {
                AssertSorted(property.Value, $"{path}.{property.Name}");
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in element.EnumerateArray())
            {
                AssertSorted(item, $"{path}[{i++}]");
            }
        }
    }
}
