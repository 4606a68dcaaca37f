using Conformance.Reports.Compare;
using Conformance.Reports.Reading;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public sealed class CompareTests
{
    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IndexEntry>> Index(string agent, params (string Id, string Behavior, string Close)[] cases) =>
        new Dictionary<string, IReadOnlyDictionary<string, IndexEntry>>
        {
            [agent] = cases.ToDictionary(c => c.Id, c => new IndexEntry(c.Behavior, c.Close, 1, 1000, null)),
        };

    [Test]
    public void RegressionsFixesAndChanges()
    {
        var old = Index("srv/1.0", ("1.1.1", "OK", "OK"), ("1.1.2", "FAILED", "OK"), ("1.1.3", "OK", "OK"), ("1.1.4", "INFORMATIONAL", "OK"), ("1.1.5", "OK", "OK"), ("1.1.6", "OK", "UNCLEAN"), ("1.1.10", "OK", "OK"));
        var @new = Index("srv/1.1", ("1.1.1", "OK", "OK"), ("1.1.2", "NON-STRICT", "OK"), ("1.1.3", "OK", "WRONG CODE"), ("1.1.4", "UNIMPLEMENTED", "OK"), ("1.1.6", "OK", "OK"), ("1.1.10", "NON-STRICT", "OK"), ("2.1", "OK", "OK"));

        var changes = RunComparison.Compare(old, @new);

        Assert.That(changes.Select(c => $"{c.Kind} {c.CaseId}"), Is.EqualTo(new[]
        {
            "Fix 1.1.2", "Regression 1.1.3", "Changed 1.1.4", "Regression 1.1.5", "Fix 1.1.6", "Regression 1.1.10", "New 2.1",
        }));
        Assert.That(changes.First(c => c.CaseId == "1.1.5").New, Is.EqualTo("not run"));
        Assert.That(changes[0].Agent, Is.EqualTo("srv/1.0 → srv/1.1"), "one agent on each side: compared whatever their names");
    }

    [Test]
    public void AFolderWithoutIndexIsAnError()
    {
        var folder = Directory.CreateTempSubdirectory("wsconf-compare-");
        try
        {
            Assert.Throws<ResultsReadException>(() => ResultsReader.ReadIndex(folder.FullName));
            File.WriteAllText(Path.Combine(folder.FullName, "index.json"), "[1, 2]");
            Assert.Throws<ResultsReadException>(() => ResultsReader.ReadIndex(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
