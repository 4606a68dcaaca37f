using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Conformance.Reports.Gating;
using Conformance.Reports.Model;
using Conformance.Reports.Output;

namespace Conformance.Reports.Writers;

/// <summary>
/// JUnit XML for CI test tabs: a <c>testsuite</c> per agent and category, a <c>testcase</c> per case named by ID and
/// description, a <c>failure</c> with the reasons when the case fails the gate, <c>skipped</c> when it was not run.
/// Other non-OK verdicts (NON-STRICT under the default gate, INFORMATIONAL, …) are passes with the verdicts in
/// <c>system-out</c>.
/// </summary>
public sealed class JUnitWriter(string fileName = JUnitWriter.DefaultFileName) : IReportWriter
{
    public const string DefaultFileName = "junit.xml";

    private const int MaxText = 4000;

    public IEnumerable<ReportFile> Files(ReportContext context) => [ReportFile.Bytes(fileName, Render(context.Run, context.Gate, context.Names))];

    public byte[] Render(RunResult run, GateResult gate) => Render(run, gate, ReportFileNames.For(run));

    private static byte[] Render(RunResult run, GateResult gate, ReportFileNames names)
    {
        var data = new ReportData(run);
        var root = new XElement("testsuites", new XAttribute("name", "wsconf"));
        int tests = 0, failures = 0, skipped = 0;
        double seconds = 0;
        // With no agent at all (no client came) the cases are still listed, as not run, under the gate's name for it.
        foreach (string agent in data.Agents.Count > 0 ? data.Agents : [GatePolicy.NoClient])
        {
            foreach (var category in data.Rows.GroupBy(r => r.Category).OrderBy(g => g.Key))
            {
                var suite = new XElement("testsuite",
                    new XAttribute("name", Clean(data.Agents.Count > 1 ? $"{agent}: {category.Key} {category.First().CategoryName}" : $"{category.Key} {category.First().CategoryName}", 300)),
                    new XAttribute("timestamp", run.Info.Started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
                    Versions(run.Info));
                int suiteFailures = 0, suiteSkipped = 0;
                double suiteSeconds = 0;
                foreach (var row in category)
                {
                    var result = data.Find(agent, row.Id);
                    var finding = gate.FailureOf(agent, row.Id);
                    double caseSeconds = result is not null && double.IsFinite(result.DurationMs) ? Math.Max(0, result.DurationMs) / 1000 : 0;
                    var testCase = new XElement("testcase",
                        new XAttribute("name", Clean($"{row.Id} {row.Description}", 500)),
                        new XAttribute("classname", Clean($"wsconf.{ReportNames.CleanAgent(agent)}.{category.Key}", 200)),
                        new XAttribute("time", Seconds(caseSeconds)));
                    if (result is null)
                    {
                        testCase.Add(new XElement("skipped", new XAttribute("message", "not run")));
                        suiteSkipped++;
                    }
                    else
                    {
                        if (finding is not null)
                        {
                            testCase.Add(new XElement("failure",
                                new XAttribute("message", Clean($"{result.Behavior.Label()} / {result.CloseBehavior.Label()}", 200)),
                                new XAttribute("type", "verdict"),
                                Clean(finding.Why, MaxText)));
                            suiteFailures++;
                        }

                        if (finding is not null || result.Behavior != Behavior.Ok || result.CloseBehavior != CloseBehavior.Ok)
                        {
                            testCase.Add(new XElement("system-out", Clean(
                                $"behaviour {result.Behavior.Label()}: {result.BehaviorReason}\nclose {result.CloseBehavior.Label()}: {result.CloseReason}\nreport: {names.CaseFile(agent, row.Id, "html")}", MaxText)));
                        }
                    }

                    suiteSeconds += caseSeconds;
                    suite.Add(testCase);
                }

                int count = category.Count();
                suite.Add(new XAttribute("tests", count), new XAttribute("failures", suiteFailures), new XAttribute("errors", 0),
                    new XAttribute("skipped", suiteSkipped), new XAttribute("time", Seconds(suiteSeconds)));
                root.Add(suite);
                tests += count;
                failures += suiteFailures;
                skipped += suiteSkipped;
                seconds += suiteSeconds;
            }
        }

        root.Add(new XAttribute("tests", tests), new XAttribute("failures", failures), new XAttribute("errors", 0),
            new XAttribute("skipped", skipped), new XAttribute("time", Seconds(seconds)));
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineChars = "\n" }))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>What judged the run, in each suite (JUnit's properties belong to a testsuite), so a CI log says it.</summary>
    private static XElement Versions(RunInfo info) => new("properties",
        new XElement("property", new XAttribute("name", "wsconf.harnessVersion"), new XAttribute("value", Clean(info.HarnessVersion, 100))),
        new XElement("property", new XAttribute("name", "wsconf.catalogueVersion"), new XAttribute("value", Clean(info.CatalogueVersion, 100))));

    private static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>XML 1.0 cannot hold most control characters even escaped: they are written as \uXXXX; lone surrogates become U+FFFD.</summary>
    internal static string Clean(string? text, int maxChars)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxChars + 32));
        foreach (var rune in text.EnumerateRunes())
        {
            if (builder.Length >= maxChars)
            {
                builder.Append(CultureInfo.InvariantCulture, $"… [cut: {text.Length:#,0} characters]");
                break;
            }

            int v = rune.Value;
            if (v is '\t' or '\n' or '\r' || (v >= 0x20 && v != 0x7F && !(v is >= 0x80 and < 0xA0) && v is not (0xFFFE or 0xFFFF)))
            {
                builder.Append(rune.ToString());
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{v:X4}");
            }
        }

        return builder.ToString();
    }
}
