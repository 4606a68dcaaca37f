using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Conformance.Cases.Fuzzing;
using Conformance.Reports.Model;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// The campaign's own page and data: <c>fuzz.html</c> (figures, coverage, findings with links to the
/// case pages and the reproductions) and <c>fuzz.json</c>. Every text from the peer is HTML-encoded.
/// </summary>
internal static class CampaignReport
{
    public static void Write(string outDir, IReadOnlyList<KeyValuePair<string, string>> figures, IReadOnlyDictionary<string, string> targets, Campaign campaign)
    {
        File.WriteAllText(Path.Combine(outDir, "fuzz.html"), Html(figures, targets, campaign));
        using var stream = File.Create(Path.Combine(outDir, "fuzz.json"));
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        foreach (var (key, value) in figures)
        {
            json.WriteString(key, value);
        }

        json.WriteStartObject("verdicts");
        foreach (var (verdict, n) in campaign.Counters.Verdicts.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(verdict, n);
        }

        json.WriteEndObject();
        json.WriteStartObject("notPassedByViolation");
        foreach (var (violation, n) in campaign.Counters.NotPassedByViolation.OrderBy(v => v.Key))
        {
            json.WriteNumber(violation.ToString(), n);
        }

        json.WriteEndObject();
        json.WriteStartObject("coverage");
        foreach (var (cell, n) in campaign.Counters.Coverage.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal))
        {
            json.WriteNumber(cell.ToString(), n);
        }

        json.WriteEndObject();
        json.WriteStartArray("findings");
        foreach (var f in campaign.Findings)
        {
            json.WriteStartObject();
            json.WriteString("caseId", f.Minimal.Id.Text);
            json.WriteString("original", f.Original.Id.Text);
            json.WriteString("signature", f.Signature);
            json.WriteNumber("originalActions", FuzzCase.ActionsOf(f.Original).Count);
            json.WriteNumber("minimalActions", f.MinimalSteps);
            json.WriteNumber("shrinkRuns", f.Shrink.Runs);
            json.WriteString("behavior", f.MinimalResult.Behavior.Label());
            json.WriteString("close", f.MinimalResult.CloseBehavior.Label());
            json.WriteString("file", $"findings/{f.FileStem}.json");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Html(IReadOnlyList<KeyValuePair<string, string>> figures, IReadOnlyDictionary<string, string> targets, Campaign campaign)
    {
        var html = new StringBuilder();
        string E(object? text) => WebUtility.HtmlEncode(Convert.ToString(text, CultureInfo.InvariantCulture) ?? "");
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>wsconf fuzzing campaign</title>\n")
            .Append("<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}")
            .Append(".hit{background:#cfc}.miss{color:#bbb}pre{white-space:pre-wrap}</style></head><body>\n");
        html.Append("<h1>Fuzzing campaign</h1><p><a href=\"index.html\">Case results (findings, original and shrunk)</a></p>\n<table>");
        foreach (var (key, value) in figures)
        {
            html.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        }

        foreach (var (target, url) in targets)
        {
            html.Append("<tr><th>target</th><td>").Append(E(target)).Append(" — ").Append(E(url)).Append("</td></tr>");
        }

        html.Append("</table>\n<h2>Verdicts</h2><table>");
        foreach (var (verdict, n) in campaign.Counters.Verdicts.OrderByDescending(v => v.Value))
        {
            html.Append("<tr><td>").Append(E(verdict)).Append("</td><td>").Append(n).Append("</td></tr>");
        }

        html.Append("</table>\n<h2>Cases not passed, by the violation the oracle found first</h2><table>");
        foreach (var (violation, n) in campaign.Counters.NotPassedByViolation.OrderByDescending(v => v.Value))
        {
            html.Append("<tr><td>").Append(E(violation)).Append("</td><td>").Append(n).Append("</td></tr>");
        }

        html.Append("</table>\n<h2>Findings</h2>");
        if (campaign.Findings.Count == 0)
        {
            html.Append("<p>None.</p>");
        }

        foreach (var f in campaign.Findings)
        {
            var r = f.MinimalResult;
            html.Append("<h3>").Append(E(f.Minimal.Id)).Append(": ").Append(E(r.Behavior.Label())).Append(" / ").Append(E(r.CloseBehavior.Label())).Append("</h3>")
                .Append("<p>").Append(E(r.BehaviorReason)).Append("<br>").Append(E(r.CloseReason)).Append("</p>")
                .Append("<p>").Append(FuzzCase.ActionsOf(f.Original).Count).Append(" action(s) shrunk to ").Append(f.MinimalSteps).Append(" in ").Append(f.Shrink.Runs).Append(" rerun(s). ")
                .Append("<a href=\"").Append(E(ReportNames.CaseFile(r.Agent, r.CaseId, "html"))).Append("\">minimal case</a> · ")
                .Append("<a href=\"").Append(E(ReportNames.CaseFile(f.OriginalResult.Agent, f.OriginalResult.CaseId, "html"))).Append("\">original case</a> · ")
                .Append("<a href=\"findings/").Append(E(f.FileStem)).Append(".json\">finding file</a> · ")
                .Append("<a href=\"findings/").Append(E(f.FileStem)).Append(".py\">Python reproduction</a></p><pre>");
            foreach (var step in FuzzCase.ActionsOf(f.Minimal))
            {
                html.Append(E(step.Describe())).Append('\n');
            }

            html.Append("</pre>");
        }

        html.Append("\n<h2>Coverage: frame kind × receiver state × violation class</h2><table><tr><th>kind / state</th>");
        var violations = Enum.GetValues<ViolationClass>();
        foreach (var v in violations)
        {
            html.Append("<th>").Append(E(v)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var kind in Enum.GetValues<FrameKind>())
        {
            foreach (var state in Enum.GetValues<StreamState>())
            {
                html.Append("<tr><th>").Append(E(kind)).Append(" / ").Append(E(state)).Append("</th>");
                foreach (var v in violations)
                {
                    long n = campaign.Counters.Coverage.GetValueOrDefault(new CoverageCell(kind, state, v));
                    html.Append(n > 0 ? "<td class=\"hit\">" : "<td class=\"miss\">").Append(n > 0 ? n.ToString(CultureInfo.InvariantCulture) : "·").Append("</td>");
                }

                html.Append("</tr>");
            }
        }

        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }
}
