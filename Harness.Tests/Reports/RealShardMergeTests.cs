using System.Text.Json.Nodes;
using Conformance.Reports.Reading;
using Conformance.Reports.Writers;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>
/// Shards of real runs against the embedded Kestrel echo server, merged with <c>report DIR1 DIR2</c>, give what one run
/// gives: the same index.json verdicts and case numbers for a catalogue run split by case pattern, the same figures,
/// verdict counts, coverage and findings for a fuzzing campaign run as <c>--shard 1/2</c> and <c>--shard 2/2</c>.
/// </summary>
[NonParallelizable]
public sealed class RealShardMergeTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void Create() => _temp = new TempFolder("wsconf-real-merge");

    [TearDown]
    public void Delete() => _temp.Dispose();

    private string Dir(string name) => _temp.File(name);

    private static async Task<CliOutcome> Run(params string[] args)
    {
        var outcome = await CliRunner.RunAsync(args);
        Assert.That(outcome.Exit, Is.Not.EqualTo(2), outcome.ToString());
        return outcome;
    }

    [Test]
    public async Task TwoShardsOfAKestrelRunMergeToTheVerdictsOfOneRun()
    {
        var one = await Run("--cases", "1.1.1,1.1.2,2.1,2.2,15.1.1,15.2.1,15.2.5", "--out", Dir("one"), "--parallel", "4");
        await Run("--cases", "1.1.1,1.1.2,2.1", "--out", Dir("s1"), "--parallel", "4");
        await Run("--cases", "2.2,15.1.1,15.2.1,15.2.5", "--out", Dir("s2"), "--parallel", "4");

        var merged = await Run("report", Dir("s1"), Dir("s2"), "--out", Dir("merged"));

        Assert.That(merged.Exit, Is.EqualTo(one.Exit), merged.ToString());
        Assert.That(Verdicts(Dir("merged")), Is.EqualTo(Verdicts(Dir("one"))));
        Assert.That(Verdicts(Dir("merged")), Has.Count.EqualTo(7));
        foreach (string file in Directory.EnumerateFiles(Dir("one"), "*_case_*.json").Select(f => Path.GetFileName(f)))
        {
            Assert.That(CaseNumber(Dir("merged"), file), Is.EqualTo(CaseNumber(Dir("one"), file)), file);
        }

        string refused = File.ReadAllText(Directory.EnumerateFiles(Dir("merged"), "*_case_15_2_1.html").Single());
        Assert.That(refused, Does.Contain("<tr><th>handshake</th><td>refused: OK 400").And.Not.Contain("<tr><th>close</th>"), "a refused handshake shows what the handshake must do, not a close that never comes");
        string accepted = File.ReadAllText(Directory.EnumerateFiles(Dir("merged"), "*_case_15_1_1.html").Single());
        Assert.That(accepted, Does.Contain("<tr><th>handshake</th><td>the connection is established</td></tr>").And.Contain("<tr><th>close</th><td>the tester closes, codes [1000]"));
    }

    [Test]
    [Integration]
    public async Task TwoFuzzShardsMergeToOneCampaignsFigures()
    {
        string[] campaign = ["fuzz", "--seed", "7", "--count", "60", "--parallel", "4"];
        var one = await Run([.. campaign, "--out", Dir("one")]);
        await Run([.. campaign, "--shard", "1/2", "--out", Dir("s1")]);
        await Run([.. campaign, "--shard", "2/2", "--out", Dir("s2")]);

        var merged = await Run("report", Dir("s1"), Dir("s2"), "--out", Dir("merged"));

        Assert.That(merged.Exit, Is.EqualTo(one.Exit), merged.ToString());
        var whole = CampaignJson.Read(Dir("one"))!;
        var shards = CampaignJson.Read(Dir("merged"))!;
        Assert.That(shards.CasesRun, Is.EqualTo(60).And.EqualTo(whole.CasesRun));
        Assert.That(shards.Shards.Select(s => s.Shard), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(shards.MissingShards, Is.Empty);
        Assert.That(shards.Seed, Is.EqualTo(whole.Seed));
        Assert.That(shards.CasesValid, Is.EqualTo(whole.CasesValid));
        Assert.That(shards.NotPassed, Is.EqualTo(whole.NotPassed));
        Assert.That(shards.Verdicts, Is.EquivalentTo(whole.Verdicts));
        Assert.That(shards.NotPassedByViolation, Is.EquivalentTo(whole.NotPassedByViolation));
        Assert.That(shards.Coverage.Cells, Is.EquivalentTo(whole.Coverage.Cells));
        Assert.That(shards.Findings.Select(f => (f.OriginalCaseId, f.Signature)), Is.EquivalentTo(whole.Findings.Select(f => (f.OriginalCaseId, f.Signature))));
        Assert.That(Verdicts(Dir("merged")), Is.EqualTo(Verdicts(Dir("one"))), "the findings' cases");
        var options = new ResultsReader().Read(Dir("merged")).Run.Info.Options;
        Assert.That(options, Does.Not.ContainKey("cases"), "a campaign has no catalogue selection to count");
        Assert.That(options["fuzz-size"], Is.EqualTo("60 case(s)"));
        foreach (var finding in shards.Findings)
        {
            Assert.That(File.Exists(Path.Combine(Dir("merged"), "findings", finding.FileStem + ".json")), Is.True, finding.CaseId);
        }
    }

    /// <summary>index.json as agent/case → verdicts, remote close code and file name (durations differ from run to run).</summary>
    private static SortedDictionary<string, string> Verdicts(string folder)
    {
        var index = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "index.json")))!;
        var verdicts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (agent, cases) in index)
        {
            foreach (var (id, entry) in (JsonObject)cases!)
            {
                verdicts[$"{agent} {id}"] = $"{entry!["behavior"]} {entry["behaviorClose"]} {entry["remoteCloseCode"]?.ToJsonString() ?? "null"} {entry["reportfile"]}";
            }
        }

        return verdicts;
    }

    private static int CaseNumber(string folder, string file) => (int)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)))!["case"]!;
}
