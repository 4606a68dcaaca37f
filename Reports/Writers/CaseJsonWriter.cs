using System.Text.Json.Nodes;
using Conformance.Reports.Model;
using Conformance.Reports.Output;

namespace Conformance.Reports.Writers;

/// <summary>
/// Writes one case's JSON record (<c>&lt;agent&gt;_case_&lt;id&gt;.json</c>) with Autobahn|Testsuite's field
/// names where Autobahn has the field, and a few of ours (<c>rfcSection</c>, <c>requirement</c>,
/// <c>category</c>, <c>categoryName</c>, <c>subcategory</c>, <c>rxOctets</c>, <c>txOctets</c>, and a
/// structured <c>wirelog</c>). Same layout as <c>index.json</c>: sorted keys, three-space indentation.
/// </summary>
public sealed class CaseJsonWriter : IReportWriter
{
    /// <summary>Maps keyed by opcode: Python sorts them numerically, not as strings.</summary>
    internal static readonly IReadOnlySet<string> IntegerKeyedMaps = new HashSet<string>(StringComparer.Ordinal) { "rxFrameStats", "txFrameStats" };

    public byte[] Render(CaseResult result) => AutobahnJson.ToUtf8Bytes(Build(result), IntegerKeyedMaps);

    /// <summary>One file per agent × case (a re-run's last result).</summary>
    public IEnumerable<ReportFile> Files(ReportContext context) =>
        context.Run.Results.GroupBy(r => (r.Agent, r.CaseId)).Select(g => g.Last())
            .Select(result => new ReportFile(context.Names.CaseFile(result.Agent, result.CaseId, "json"), stream => stream.Write(Render(result))));

    /// <exception cref="ArgumentException">A summary: its details are not in memory, so its file would lose them.</exception>
    public static JsonObject Build(CaseResult result)
    {
        if (result.IsSummary)
        {
            throw new ArgumentException($"case {result.CaseId} of '{result.Agent}' is a summary: its JSON file is written from the full result", nameof(result));
        }

        var fields = Fields(result);
        if (result.ExpectedHandshake.Length > 0)
        {
            fields["expectedHandshake"] = result.ExpectedHandshake; // ours, category 15 only
        }

        return fields;
    }

    private static JsonObject Fields(CaseResult result)
    {
        var closing = result.Closing;
        return new JsonObject
        {
            // Autobahn's fields.
            ["id"] = result.CaseId,
            ["case"] = result.CaseIndex,
            ["description"] = result.Description,
            ["expectation"] = result.Expectation,
            ["agent"] = result.Agent,
            ["started"] = AutobahnJson.Timestamp(result.Started),
            ["duration"] = AutobahnJson.WholeMilliseconds(result.DurationMs),
            ["behavior"] = result.Behavior.Label(),
            ["behaviorClose"] = result.CloseBehavior.Label(),
            ["result"] = result.BehaviorReason,
            ["resultClose"] = result.CloseReason,
            ["expected"] = ExpectedEvents(result.Expected),
            ["expectedClose"] = result.ExpectedClose,
            ["received"] = Strings(result.Received),
            ["closedByMe"] = closing.ClosedByMe,
            ["failedByMe"] = closing.FailedByMe,
            ["droppedByMe"] = closing.DroppedByMe,
            ["wasClean"] = closing.WasClean,
            ["wasNotCleanReason"] = closing.WasNotCleanReason,
            ["wasServerConnectionDropTimeout"] = closing.WasServerConnectionDropTimeout,
            ["wasOpenHandshakeTimeout"] = closing.WasOpenHandshakeTimeout,
            ["wasCloseHandshakeTimeout"] = closing.WasCloseHandshakeTimeout,
            ["localCloseCode"] = closing.LocalCloseCode,
            ["localCloseReason"] = closing.LocalCloseReason,
            ["remoteCloseCode"] = closing.RemoteCloseCode,
            ["remoteCloseReason"] = closing.RemoteCloseReason,
            ["isServer"] = result.TesterIsServer,
            ["httpRequest"] = result.HttpRequest,
            ["httpResponse"] = result.HttpResponse,
            ["rxFrameStats"] = FrameCounts(result.Stats.RxFrames),
            ["txFrameStats"] = FrameCounts(result.Stats.TxFrames),
            ["wirelog"] = WireLogJson.Build(result.WireLog),

            // Ours.
            ["rxOctets"] = result.Stats.RxOctets,
            ["txOctets"] = result.Stats.TxOctets,
            ["rfcSection"] = result.RfcSection,
            ["requirement"] = result.Requirement,
            ["category"] = result.Category,
            ["categoryName"] = result.CategoryName,
            ["subcategory"] = result.SubcategoryTitle,
        };
    }

    private static JsonObject ExpectedEvents(IReadOnlyDictionary<string, IReadOnlyList<string>> expected)
    {
        var byVerdict = new JsonObject();
        foreach (var (verdict, events) in expected)
        {
            byVerdict[verdict] = Strings(events);
        }

        return byVerdict;
    }

    private static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(item => (JsonNode?)item)]);

    private static JsonObject FrameCounts(IReadOnlyDictionary<int, int> countsByOpcode)
    {
        var counts = new JsonObject();
        foreach (var (opcode, count) in countsByOpcode)
        {
            counts[opcode.ToString(System.Globalization.CultureInfo.InvariantCulture)] = count;
        }

        return counts;
    }
}
