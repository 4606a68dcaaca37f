using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Broken;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Compression;

/// <summary>
/// Category 14 against a permessage-deflate echo server that breaks one rule at a time: exactly the
/// cases about that rule fail, and the sound server passes them all. Proves the checks can fail.
/// </summary>
[Parallelizable(ParallelScope.Children)]
[Integration]
public sealed class BrokenDeflateServerTests
{
    private static readonly string[] Patterns = ["14.*", "12.1.1", "12.2.4", "13.3.2", "13.4.1", "13.5.1"];

    /// <summary>What the sound server gets where it is not OK / OK: nothing but the case it cannot play.</summary>
    private static readonly Dictionary<string, (Behavior, CloseBehavior)> SoundExceptions = new(StringComparer.Ordinal)
    {
        // It always answers with client_no_context_takeover, so the tester cannot keep its context.
        ["14.4.9"] = (Behavior.Unimplemented, CloseBehavior.Ok),
    };

    private static async Task<Dictionary<string, CaseResult>> RunAsync(DeflateFault fault)
    {
        await using var server = DeflateEchoServer.Start(fault);
        var cases = CaseSelection.Select(CaseCatalogue.All, Patterns, []);
        var options = new ServerTestOptions { Plan = RunPlan.ForServers([new ServerTarget($"deflate-{fault}", server.Url)], cases), Parallel = 4, Timers = new Timers() };
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var results = await ServerTesting.RunAsync(options, _ => { }, null, limit.Token);
        Assert.That(server.Errors, Is.Empty, "the test server itself threw");
        return results.ToDictionary(r => r.CaseId, StringComparer.Ordinal);
    }

    private static string[] NotAsSound(Dictionary<string, CaseResult> results) => results.Values
        .Where(r => (r.Behavior, r.CloseBehavior) != SoundExceptions.GetValueOrDefault(r.CaseId, (Behavior.Ok, CloseBehavior.Ok)))
        .OrderBy(r => CaseId.Parse(r.CaseId)).Select(r => r.CaseId).ToArray();

    private static string Describe(Dictionary<string, CaseResult> results) =>
        string.Join("\n", results.Values.OrderBy(r => CaseId.Parse(r.CaseId)).Select(Runs.Describe));

    [Test]
    [CancelAfter(150_000)]
    public async Task The_sound_server_passes_every_compression_check()
    {
        var results = await RunAsync(DeflateFault.None);

        Assert.That(results, Has.Count.EqualTo(CaseCatalogue.All.Count(c => c.Category == 14) + 5));
        Assert.That(NotAsSound(results), Is.Empty, Describe(results));
    }

    [TestCase(DeflateFault.WindowTooLarge, new[] { "14.2.1", "14.2.2" }, "beyond the agreed window")]
    [TestCase(DeflateFault.KeepsContext, new[] { "14.3.1" }, "kept its LZ77 context although no context takeover was agreed")]
    [TestCase(DeflateFault.IgnoresRsv1OnControlFrames, new[] { "14.5.1", "14.5.2" }, "")] // a pong, or nothing, where a failed connection belongs
    // 14.1.9 is not among them: the response accepting its invalid first offer is a legal acceptance of its valid second one.
    [TestCase(DeflateFault.AcceptsInvalidOffers, new[] { "14.1.1", "14.1.2", "14.1.3", "14.1.4", "14.1.5", "14.1.6", "14.1.7", "14.1.8" }, "had to be declined")]
    // Boost.Beast 1.74's way: 14.6.2 FAILED, 14.6.3 NON-STRICT (the default 15 left out); 14.2.x need the window agreed, and fail as before.
    [TestCase(DeflateFault.OmitsServerMaxWindowBits, new[] { "14.2.1", "14.2.2", "14.6.2", "14.6.3" }, "server_max_window_bits")]
    [TestCase(DeflateFault.OmitsServerNoContextTakeover, new[] { "14.3.1", "14.6.1" }, "server_no_context_takeover")]
    [CancelAfter(150_000)]
    public async Task A_broken_server_fails_exactly_the_cases_about_its_fault(DeflateFault fault, string[] expected, string because)
    {
        var results = await RunAsync(fault);

        Assert.That(NotAsSound(results), Is.EqualTo(expected), Describe(results));
        foreach (string id in expected)
        {
            var r = results[id];
            var behavior = id is "14.1.6" or "14.6.3" ? Behavior.NonStrict : Behavior.Failed; // leading zeros: the RFC's prose and ABNF disagree; 15 is the default
            Assert.That(r.Behavior, Is.EqualTo(behavior), Runs.Describe(r));
            Assert.That(r.BehaviorReason, Does.Contain(because), Runs.Describe(r));
        }
    }

    [TestCase(DeflateFault.OmitsServerMaxWindowBits, "13.4.1", "server_max_window_bits=15")]
    [TestCase(DeflateFault.OmitsServerMaxWindowBits, "13.3.2", "server_max_window_bits=9")]
    [TestCase(DeflateFault.OmitsServerNoContextTakeover, "13.5.1", "server_no_context_takeover")]
    [CancelAfter(150_000)]
    public async Task Categories_12_and_13_play_an_acceptance_that_leaves_out_a_parameter_and_name_the_rule(DeflateFault fault, string id, string parameter)
    {
        var results = await RunAsync(fault);

        var r = results[id];
        Assert.That((r.Behavior, r.CloseBehavior), Is.EqualTo((Behavior.Ok, CloseBehavior.Ok)), Runs.Describe(r));
        Assert.That(r.BehaviorReason, Does.Contain("judged in 14.6").And.Contain(parameter), Runs.Describe(r));
    }
}
