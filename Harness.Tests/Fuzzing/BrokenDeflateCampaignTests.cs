using Conformance.Cases.Fuzzing;
using Conformance.Cases.Scripting;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Compression;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// <c>fuzz --deflate</c> against the tests' permessage-deflate echo server with one permessage-deflate rule
/// broken: a campaign not told where to look finds it and shrinks it to at most 5 actions, and
/// <c>test-server --cases-from</c> replays the finding with the same verdict. (That server is a small peer for
/// single rules, not a reference: the real peers are, in <c>ReferenceCampaignTests</c> and the README's figures.)
/// </summary>
[Integration]
[NonParallelizable]
public sealed class BrokenDeflateCampaignTests
{
    private const int MaxMinimalActions = 5;

    private const int MaxCases = 10_000;

    private static CampaignOptions Options(int count) =>
        new() { Seed = 2026, Count = count, Parallel = 6, Timers = new Timers { Scale = 0.5 }, MaxShrinkRuns = 120, Deflate = true };

    /// <summary>How to tell the finding of the broken rule from others (this small server also has simpler close handling than the RFC asks for).</summary>
    private static bool IsTheFault(DeflateFault fault, Finding finding) => fault switch
    {
        DeflateFault.IgnoresRsv1OnControlFrames => FuzzCase.ActionsOf(finding.Minimal).OfType<SendFrame>().Any(s => s.Frame.Rsv == 4 && s.Frame.Opcode >= 8),
        _ => finding.MinimalResult.BehaviorReason.Contains("kept its LZ77 context", StringComparison.Ordinal),
    };

    [TestCase(DeflateFault.IgnoresRsv1OnControlFrames)]
    [TestCase(DeflateFault.KeepsContext)]
    public async Task A_campaign_finds_shrinks_and_replays_the_broken_rule(DeflateFault fault)
    {
        await using var server = DeflateEchoServer.Start(fault);
        string folder = Campaigns.TemporaryFolder();
        var campaign = await Campaigns.RunAsync(server.Url, Options(MaxCases), folder, stopWhen: f => f.Shrunk && IsTheFault(fault, f));

        var finding = campaign.Findings.FirstOrDefault(f => f.Shrunk && IsTheFault(fault, f));
        Assert.That(finding, Is.Not.Null, $"not found in {campaign.Counters.Run} cases; found: {string.Join("; ", campaign.Findings.Select(f => f.Signature))}");
        TestContext.Out.WriteLine($"found after {campaign.Counters.Run} cases: {finding!.Signature}; {FuzzCase.ActionsOf(finding.Original).Count} -> {finding.MinimalSteps} actions");
        FuzzCase.ActionsOf(finding.Minimal).ToList().ForEach(a => TestContext.Out.WriteLine("  " + a.Describe()));
        Assert.Multiple(() =>
        {
            Assert.That(finding.MinimalSteps, Is.LessThanOrEqualTo(MaxMinimalActions), "minimal script");
            Assert.That(finding.Minimal.Deflate, Is.Not.Null, "the minimal case keeps its offer");
            Assert.That(FindingSignature.Of(finding.MinimalResult), Is.EqualTo(finding.Signature));
        });

        foreach (var other in Directory.EnumerateFiles(Path.Combine(folder, "findings")).Where(f => !Path.GetFileName(f).StartsWith(finding.FileStem + ".", StringComparison.Ordinal)))
        {
            File.Delete(other); // replay the finding of the broken rule alone
        }

        var replay = await CliRunner.RunAsync("test-server", server.Url.ToString(), "--cases-from", Path.Combine(folder, "findings"), "--out", Path.Combine(folder, "replay"), "--timeout-scale", "0.5");
        Assert.Multiple(() =>
        {
            Assert.That(replay.Exit, Is.EqualTo(1), replay.ToString());
            Assert.That(replay.Out, Does.Contain(finding.Minimal.Id.Text), replay.ToString());
            string caseJson = File.ReadAllText(Directory.EnumerateFiles(Path.Combine(folder, "replay"), $"*case_{finding.Minimal.Id.FileToken}.json").Single());
            Assert.That(caseJson, Does.Contain(finding.MinimalResult.Behavior.Label()), "the same verdict when replayed");
        });

        string repro = await RunPythonAsync(Path.Combine(folder, "findings", finding.FileStem + ".py"), server.Url.ToString());
        Assert.That(repro, Does.Contain("extensions: Sec-WebSocket-Extensions: permessage-deflate"), "the reproduction offers what the case offered:\n" + repro);
    }

    /// <summary>The finding's stand-alone reproduction, run with python3 against the server; what it printed.</summary>
    private static async Task<string> RunPythonAsync(string script, string url)
    {
        var start = new System.Diagnostics.ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(url);
        using var python = System.Diagnostics.Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await python.WaitForExitAsync(timeout.Token);
        return await output + await error;
    }
}
