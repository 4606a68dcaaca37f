using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Reports.Model;

namespace Conformance.Reports.Reading;

/// <summary>
/// Puts back what <see cref="CaseResult.Summary"/> left out (the wire log, the received events, the handshake
/// texts) from the case's JSON file, one case at a time, when its page is rendered. Everything else comes from the
/// summary as the run kept it, so the page is the one the full result would have given.
/// </summary>
public static class CaseDetails
{
    /// <exception cref="IOException">The file is missing, unreadable or not a JSON object.</exception>
    public static CaseResult Restore(CaseResult summary, string jsonPath)
    {
        if (!summary.IsSummary)
        {
            return summary;
        }

        JsonObject record;
        try
        {
            using var file = File.OpenRead(jsonPath);
            record = JsonNode.Parse(file) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new IOException($"cannot read back '{jsonPath}': {e.Message}", e);
        }

        return summary with
        {
            IsSummary = false,
            DetailsFile = null,
            Received = CaseRecord.Events(record["received"]),
            HttpRequest = Json.Text(record, "httpRequest") ?? "",
            HttpResponse = Json.Text(record, "httpResponse") ?? "",
            WireLog = CaseRecord.WireLog(record),
        };
    }
}
