using System.Text.Json;
using Conformance.Cases.Fuzzing;
using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Fuzzing;

/// <summary>One finding: the case as generated and as shrunk, with what was seen for each.</summary>
internal sealed record Finding(FuzzOrigin Origin, Case Original, CaseResult OriginalResult, Case Minimal, CaseResult MinimalResult, ShrinkResult Shrink, string Signature)
{
    public int MinimalSteps => FuzzCase.ActionsOf(Minimal).Count;

    /// <summary>True for the first finding of its signature, the one that is shrunk; later ones are kept as generated.</summary>
    public bool Shrunk { get; init; }

    public string FileStem => Minimal.Id.FileToken;
}

/// <summary>
/// Writes each finding as it is made: <c>findings/&lt;id&gt;.json</c> (format <see cref="FindingFile.Format"/>)
/// and <c>findings/&lt;id&gt;.py</c> (a stand-alone reproduction). Nothing is kept in memory.
/// </summary>
/// <param name="testsClient">fuzz --client: the reproduction is a server that plays the tester's side (<see cref="PythonServerRepro"/>).</param>
internal sealed class FindingWriter(string outDir, Uri? url, bool testsClient = false)
{
    public string Folder { get; } = Path.Combine(outDir, "findings");

    public void Write(Finding finding)
    {
        Directory.CreateDirectory(Folder);
        using (var stream = File.Create(Path.Combine(Folder, finding.FileStem + ".json")))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", FindingFile.Format);
            json.WriteString("caseId", finding.Minimal.Id.Text);
            json.WriteStartObject("generator");
            json.WriteNumber("version", finding.Origin.Version);
            json.WriteNumber("seed", finding.Origin.Seed);
            json.WriteNumber("index", finding.Origin.Index);
            json.WriteEndObject();
            ActionJson.WriteDeflate(json, finding.Minimal.Deflate);
            json.WriteString("agent", finding.MinimalResult.Agent);
            json.WriteString("signature", finding.Signature);
            json.WriteNumber("shrinkRuns", finding.Shrink.Runs);
            WriteCase(json, "minimal", finding.Minimal, finding.MinimalResult);
            WriteCase(json, "original", finding.Original, finding.OriginalResult);
            json.WriteEndObject();
        }

        string seen = $"{finding.MinimalResult.Behavior.Label()} ({finding.MinimalResult.BehaviorReason}); close {finding.MinimalResult.CloseBehavior.Label()} ({finding.MinimalResult.CloseReason})";
        string title = $"wsconf finding {finding.Minimal.Id} ({finding.Origin.Describe()}), {finding.MinimalSteps} action(s)";
        if (testsClient)
        {
            File.WriteAllText(Path.Combine(Folder, finding.FileStem + ".py"), PythonServerRepro.Render(title, FuzzCase.ActionsOf(finding.Minimal), finding.Minimal.Expectation, seen));
        }
        else if (url is not null)
        {
            File.WriteAllText(Path.Combine(Folder, finding.FileStem + ".py"), PythonRepro.Render(title, url, FuzzCase.ActionsOf(finding.Minimal), finding.Minimal.Expectation, seen, finding.Minimal.Deflate));
        }
    }

    private static void WriteCase(Utf8JsonWriter json, string name, Case @case, CaseResult result)
    {
        json.WriteStartObject(name);
        json.WriteString("caseId", @case.Id.Text);
        json.WritePropertyName("actions");
        ActionJson.Write(json, FuzzCase.ActionsOf(@case));
        json.WriteStartObject("expectation");
        json.WriteString("text", @case.Expectation);
        json.WriteString("rfc", @case.RfcSection);
        json.WriteStartArray("events");
        foreach (var e in ((ExpectEventsWithLatitude)@case.Behavior).Ok)
        {
            json.WriteStringValue(e.Describe());
        }

        json.WriteEndArray();
        json.WriteString("close", @case.Close.Describe());
        json.WriteEndObject();
        json.WriteStartObject("seen");
        json.WriteString("behavior", result.Behavior.Label());
        json.WriteString("behaviorReason", result.BehaviorReason);
        json.WriteString("close", result.CloseBehavior.Label());
        json.WriteString("closeReason", result.CloseReason);
        json.WriteStartArray("events");
        foreach (var e in result.Received)
        {
            json.WriteStringValue(e);
        }

        json.WriteEndArray();
        json.WriteString("caseFile", ReportNames.CaseFile(result.Agent, result.CaseId, "json"));
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
