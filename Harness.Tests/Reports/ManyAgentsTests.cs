using System.Text.Json;
using Conformance.Reports.Gating;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>Agent names that clean to the same file name, and a run of a thousand agents (sizes, not timing).</summary>
public sealed class ManyAgentsTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("wsconf-agents-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static CaseResult Result(string agent, string id = "1.1.1", Behavior behavior = Behavior.Ok) =>
        SampleRun.Case(agent, id, 1, "Framing", 10, 1000) with { Behavior = behavior, BehaviorReason = $"{agent} ran {id}" };

    [Test]
    public void NamesThatCleanAlikeGetDistinctStableFileNames()
    {
        string[] agents = ["../../tmp/pwned", "TMP PWNED", ".", "..", "!!!", "***", "Kestrel"];
        var names = ReportFileNames.For(agents);
        var stems = agents.Select(names.Stem).ToList();

        Assert.That(stems, Is.Unique);
        Assert.That(stems, Has.All.Matches<string>(s => s!.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')));
        Assert.That(names.Stem("Kestrel"), Is.EqualTo("kestrel"), "an agent nobody collides with keeps Autobahn's name");
        Assert.That(ReportFileNames.For(agents.Reverse()).Stem("TMP PWNED"), Is.EqualTo(names.Stem("TMP PWNED")), "independent of order");
    }

    [Test]
    public void TheResultsFolderKeepsEveryAgentsFilesAndTheIndexPointsAtThem()
    {
        var folder = new ResultsFolder(_folder);
        string[] agents = ["TMP PWNED", "../../tmp/pwned", ".", ".."]; // the plain name is taken first, then contested
        foreach (string agent in agents)
        {
            folder.Add(Result(agent));
        }

        using var index = JsonDocument.Parse(File.ReadAllBytes(folder.IndexPath));
        var files = agents.Select(a => index.RootElement.GetProperty(a).GetProperty("1.1.1").GetProperty("reportfile").GetString()!).ToList();
        Assert.That(files, Is.Unique);
        for (int i = 0; i < agents.Length; i++)
        {
            using var record = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_folder, files[i])));
            Assert.That(record.RootElement.GetProperty("agent").GetString(), Is.EqualTo(agents[i]), files[i]);
        }

        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EquivalentTo(files.Append("index.json")), "no stale or temporary files");

        var run = new RunResult(SampleRun.Info, [.. agents.Select(a => Result(a))]);
        new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, new GatePolicy().Evaluate(run), _folder);
        foreach (var (agent, file) in agents.Zip(files))
        {
            string page = File.ReadAllText(Path.Combine(_folder, Path.ChangeExtension(file, "html")));
            Assert.That(page, Does.Contain(HtmlTextEncoder.Encode($"{agent} ran 1.1.1")), $"{agent}'s page shows {agent}'s run");
        }
    }

    [Test]
    public void AThousandAgentsMakeAReportThatGrowsWithWhatFailed()
    {
        const int Agents = 1000;
        var results = new List<CaseResult>();
        for (int a = 0; a < Agents; a++)
        {
            string agent = $"client {a:0000}";
            foreach (string id in new[] { "1.1.1", "1.1.2", "2.1" })
            {
                results.Add(Result(agent, id, a % 100 == 0 && id == "2.1" ? Behavior.Failed : Behavior.Ok));
            }
        }

        var run = new RunResult(SampleRun.Info with { Targets = new Dictionary<string, string>() }, results);
        var files = new HtmlReportWriter(ScribanTemplateEngine.Create(null)).Write(run, new GatePolicy().Evaluate(run), _folder);
        long index = new FileInfo(Path.Combine(_folder, "index.html")).Length;
        long failures = new FileInfo(Path.Combine(_folder, "failures.html")).Length;
        TestContext.Out.WriteLine($"{files.Pages} pages, {files.Bytes / 1e3:0} kB; index.html {index / 1e3:0} kB, failures.html {failures / 1e3:0} kB");

        Assert.That(files.Pages, Is.EqualTo(2 + 10), "index, failures and a page per failed case (10 agents failed 2.1)");
        Assert.That(index, Is.LessThan(100_000), "the matrix counts verdicts per case");
        Assert.That(failures, Is.LessThan(100_000), "ten findings");
        Assert.That(files.Bytes, Is.LessThan(500_000));
        Assert.That(File.ReadAllText(Path.Combine(_folder, "failures.html")), Does.Contain("client 0100"));
    }
}
