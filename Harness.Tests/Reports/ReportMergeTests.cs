using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>
/// <c>report DIR1 DIR2 …</c> on hand-made results folders: shards split by case or by agent merge into the folder one run
/// would have written (index.json and case files byte for byte), fuzzing shards into one campaign, and every
/// folder that cannot be merged is one line on stderr and exit 2.
/// </summary>
[NonParallelizable]
public sealed class ReportMergeTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void Create() => _temp = new TempFolder("wsconf-merge");

    [TearDown]
    public void Delete() => _temp.Dispose();

    private string Dir(string name) => _temp.File(name);

    /// <summary>The sample run with each result numbered as a run numbers it (its place in the selection).</summary>
    private static RunResult Whole()
    {
        var run = SampleReport.Build();
        var order = run.Selection.Select((e, i) => (e.Id, i)).ToDictionary(p => p.Id, p => p.i + 1);
        return run with { Results = [.. run.Results.Select(r => r with { CaseIndex = order[r.CaseId] })] };
    }

    /// <summary>A results folder as a run leaves it: case files, index.json, wsconf-run.json and, for a campaign, fuzz.json.</summary>
    private string Write(string name, RunResult run)
    {
        string dir = Dir(name);
        var folder = new ResultsFolder(dir);
        foreach (var result in run.Results)
        {
            folder.Add(result);
        }

        if (run.Results.Count == 0)
        {
            File.WriteAllText(Path.Combine(dir, "index.json"), "{}");
        }

        RunInfoFile.Write(dir, run.Info, run.Selection);
        if (run.Campaign is { } campaign)
        {
            File.WriteAllBytes(Path.Combine(dir, CampaignJson.FileName), CampaignJson.Render(campaign));
        }

        return dir;
    }

    private static RunResult Part(RunResult run, Func<CaseResult, bool> keep, IEnumerable<string>? selection = null) => run with
    {
        Results = [.. run.Results.Where(keep)],
        Selection = selection is null ? run.Selection : [.. run.Selection.Where(e => selection.Contains(e.Id))],
        Info = run.Info with { Options = new Dictionary<string, string>(run.Info.Options) { ["cases"] = "2" } },
    };

    private static byte[] Bytes(string dir, string file) => File.ReadAllBytes(Path.Combine(dir, file));

    [Test]
    public async Task ShardsSplitByCaseMergeIntoTheFolderOneRunWrites()
    {
        var whole = Whole();
        string[] first = ["1.1.1", "2.1"];
        string all = Write("whole", whole);
        string a = Write("a", Part(whole, r => first.Contains(r.CaseId), first));
        string b = Write("b", Part(whole, r => !first.Contains(r.CaseId), whole.Selection.Select(e => e.Id).Except(first)));

        var one = await CliRunner.RunAsync("report", all, "--out", Dir("one"));
        var merged = await CliRunner.RunAsync("report", a, b, "--out", Dir("merged"));

        Assert.That(merged.Exit, Is.EqualTo(one.Exit).And.EqualTo(1), merged.ToString());
        Assert.That(merged.ErrorLines, Is.Empty, merged.ToString());
        Assert.That(merged.Out.TrimEnd().Split('\n')[^1], Is.EqualTo(Path.Combine(Dir("merged"), "index.html")));
        Assert.That(Bytes(Dir("merged"), "index.json"), Is.EqualTo(Bytes(all, "index.json")));
        foreach (var result in whole.Results)
        {
            string file = ReportNames.CaseFile(result.Agent, result.CaseId, "json");
            Assert.That(Bytes(Dir("merged"), file), Is.EqualTo(Bytes(all, file)), file);
        }

        var facts = RunInfoFile.Read(Dir("merged"))!.Value;
        Assert.That(facts.Selection.Select(e => e.Id), Is.EqualTo(whole.Selection.Select(e => e.Id)));
        Assert.That(facts.Info.Options["cases"], Is.EqualTo("4"));
        Assert.That(File.ReadAllText(Path.Combine(Dir("merged"), "junit.xml")), Is.EqualTo(File.ReadAllText(Path.Combine(Dir("one"), "junit.xml"))));
    }

    [Test]
    public async Task ShardsSplitByAgentMergeIntoOneMatrix()
    {
        var whole = Whole();
        string all = Write("whole", whole);
        string a = Write("kestrel", Part(whole, r => r.Agent == SampleRun.Kestrel) with { Info = whole.Info with { Targets = new Dictionary<string, string> { [SampleRun.Kestrel] = "ws://127.0.0.1:9001/" } } });
        string b = Write("python", Part(whole, r => r.Agent == SampleRun.Python) with { Info = whole.Info with { Targets = new Dictionary<string, string> { [SampleRun.Python] = "ws://127.0.0.1:9002/it's" } } });

        var merged = await CliRunner.RunAsync("report", a, b);

        Assert.That(merged.Exit, Is.EqualTo(1), merged.ToString());
        string output = Path.Combine(_temp.Path, ReportCommandDefault);
        Assert.That(Bytes(output, "index.json"), Is.EqualTo(Bytes(all, "index.json")), "the default output is a new folder next to the first one");
        Assert.That(RunInfoFile.Read(output)!.Value.Info.Targets, Is.EquivalentTo(whole.Info.Targets));
        Assert.That(Directory.EnumerateFiles(a).Select(Path.GetFileName), Does.Not.Contain("index.html"), "inputs are only read");
    }

    private const string ReportCommandDefault = Harness.Cli.ReportCommand.DefaultMergedFolder;

    [Test]
    public async Task FuzzingShardsMergeIntoOneCampaign()
    {
        var cells1 = new Dictionary<string, long> { ["Text/Idle/None"] = 40, ["Ping/Idle/ReservedBits"] = 2 };
        var cells3 = new Dictionary<string, long> { ["Text/Idle/None"] = 45, ["Text/InTextMessage/InvalidUtf8"] = 1 };
        var one = SampleCampaign.Shard(1, 100, 5.0, cells1, SampleCampaign.Finding(SampleRun.Kestrel, "101.0.3", "100.0.3", "none"));
        var three = SampleCampaign.Shard(3, 100, 3.0, cells3);
        string a = Write("s1", new RunResult(SampleRun.Info, [SampleRun.Case(SampleRun.Kestrel, "101.0.3", 101, "Fuzzing", 5, null)]) { Campaign = one });
        Directory.CreateDirectory(Path.Combine(a, "findings"));
        File.WriteAllText(Path.Combine(a, "findings", "101_0_3.json"), "{}");
        string b = Write("s3", new RunResult(SampleRun.Info, []) { Campaign = three });
        File.Delete(Path.Combine(b, "index.json")); // a campaign without findings records no case

        var merged = await CliRunner.RunAsync("report", a, b, "--out", Dir("m"));

        Assert.That(merged.Exit, Is.EqualTo(1), "a finding fails the merged campaign as it failed its shard");
        Assert.That(merged.ErrorLines, Is.EqualTo(new[] { "warning: shard(s) 2 of 3 are missing: the campaign's figures cover 2 of its 3 parts" }));
        var campaign = CampaignJson.Read(Dir("m"))!;
        Assert.That(campaign.CasesRun, Is.EqualTo(200));
        Assert.That(campaign.CasesPerSecond, Is.EqualTo(25.0));
        Assert.That(campaign.Shards.Select(s => s.Shard), Is.EqualTo(new[] { 1, 3 }));
        Assert.That(campaign.MissingShards, Is.EqualTo(new[] { 2 }));
        Assert.That(campaign.Coverage.Cells, Is.EquivalentTo(new Dictionary<string, long> { ["Text/Idle/None"] = 85, ["Ping/Idle/ReservedBits"] = 2, ["Text/InTextMessage/InvalidUtf8"] = 1 }));
        Assert.That(campaign.Verdicts["OK / OK"], Is.EqualTo(199));
        Assert.That(campaign.Findings.Select(f => f.CaseId), Is.EqualTo(new[] { "101.0.3" }));
        Assert.That(File.Exists(Path.Combine(Dir("m"), "findings", "101_0_3.json")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(Dir("m"), "fuzz.html")), Does.Contain("Shard(s) 2 of 3 are missing"));
    }

    [Test]
    public async Task ACampaignWithFindingsFailsWhenRenderedAgainAsItFailedWhenItRan()
    {
        var found = SampleCampaign.Shard(1, 10, 1.0, new Dictionary<string, long>(), SampleCampaign.Finding(SampleRun.Kestrel, "101.0.3", "100.0.3", "none"));
        var clean = SampleCampaign.Shard(1, 10, 1.0, new Dictionary<string, long>());
        var passed = SampleRun.Case(SampleRun.Kestrel, "101.0.3", 101, "Fuzzing", 5, 1000);
        string withFinding = Write("found", new RunResult(SampleRun.Info, [passed]) { Campaign = found });
        string without = Write("clean", new RunResult(SampleRun.Info, []) { Campaign = clean });

        var failing = await CliRunner.RunAsync("report", withFinding, "--out", Dir("r1"));
        var passing = await CliRunner.RunAsync("report", without, "--out", Dir("r2"));

        Assert.That(failing.Exit, Is.EqualTo(1), "the finding's case passes the gate, the finding still fails the campaign");
        Assert.That(failing.Out, Does.Contain("Fuzzing: 1 finding(s): exit 1"));
        Assert.That(passing.Exit, Is.EqualTo(0), passing.ToString());
        Assert.That(File.ReadAllText(Path.Combine(Dir("r2"), "index.html")), Does.Contain("No finding: every generated case passed"));
    }

    [TestCase("twice", "is given twice")]
    [TestCase("overlap", "case 2.1 of agent '")]
    [TestCase("version", "was written by wsconf version 0.2.0")]
    [TestCase("catalogue", "was written by catalogue version other")]
    [TestCase("role", "tested clients and")]
    [TestCase("empty", "has no results")]
    [TestCase("not-results", "is not a results folder: it has no index.json")]
    [TestCase("missing", "does not exist")]
    [TestCase("out-is-input", "is one of the folders being merged")]
    [TestCase("mixed", "is a fuzzing campaign and")]
    [TestCase("seed", "is not a shard of the same campaign")]
    [TestCase("same-shard", "shard 1/3 of campaign seed 42 is in both")]
    public async Task FoldersThatCannotBeMergedAreOneLineAndExitTwo(string problem, string message)
    {
        var whole = Whole();
        string a = Write("a", Part(whole, r => r.CaseId == "2.1"));
        var campaign = SampleCampaign.Shard(1, 10, 1, new Dictionary<string, long>());
        var fuzz = new RunResult(SampleRun.Info, [SampleRun.Case(SampleRun.Kestrel, "101.0.3", 101, "Fuzzing", 5, null)]) { Campaign = campaign };
        string[] args = problem switch
        {
            "twice" => [a, a],
            "overlap" => [a, Write("b", Part(whole, r => r.CaseId is "2.1" or "6.4.1"))],
            "version" => [a, Write("b", Part(whole, r => r.CaseId == "6.4.1") with { Info = whole.Info with { HarnessVersion = "0.2.0" } })],
            "catalogue" => [a, Write("b", Part(whole, r => r.CaseId == "6.4.1") with { Info = whole.Info with { CatalogueVersion = "other" } })],
            "role" => [a, Write("b", Part(whole, r => r.CaseId == "6.4.1") with { Info = whole.Info with { Mode = "client" } })],
            "empty" => [a, Write("b", Part(whole, _ => false))],
            "not-results" => [a, Directory.CreateDirectory(Dir("b")).FullName],
            "missing" => [a, Dir("nowhere")],
            "out-is-input" => [a, Write("b", Part(whole, r => r.CaseId == "6.4.1")), "--out", a],
            "mixed" => [a, Write("b", fuzz)],
            "seed" => [Write("b", fuzz), Write("c", fuzz with { Results = [], Campaign = campaign with { Seed = "43", Shards = [new ShardFigures(2, 10, 1, false)] } })],
            _ => [Write("b", fuzz), Write("c", fuzz with { Results = [] })],
        };

        var outcome = await CliRunner.RunAsync(["report", .. args]);

        Assert.That(outcome.Exit, Is.EqualTo(Harness.Cli.ExitCodes.Usage), outcome.ToString());
        Assert.That(outcome.ErrorLines, Has.Count.EqualTo(1), outcome.ToString());
        Assert.That(outcome.ErrorLines[0], Does.StartWith("error: ").And.Contain(message));
    }
}
