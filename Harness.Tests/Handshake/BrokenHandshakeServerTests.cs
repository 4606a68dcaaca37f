using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Broken;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Handshake;

/// <summary>
/// Category 15 (servers) against an echo server with its own strict handshake that breaks one rule at a time:
/// the sound server passes every case, and each broken one fails exactly the cases about its rule.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class BrokenHandshakeServerTests
{
    private static async Task<Dictionary<string, CaseResult>> RunAsync(ServerViolation violation)
    {
        await using var server = HandshakeServer.Start(violation);
        var cases = CaseSelection.Select(CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Server), ["15.*"], []);
        var options = new ServerTestOptions { Plan = RunPlan.ForServer(new ServerTarget($"handshake-{violation}", server.Url), cases), Parallel = 4 };
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var results = await ServerTesting.RunAsync(options, _ => { }, null, limit.Token);
        Assert.That(server.Errors, Is.Empty, "the test server itself threw");
        return results.ToDictionary(r => r.CaseId, StringComparer.Ordinal);
    }

    /// <summary>OK / OK for an established connection, OK / INFORMATIONAL for a refusal.</summary>
    private static bool AsSound(CaseResult r) =>
        r.Behavior == Behavior.Ok && r.CloseBehavior == (CaseCatalogue.Find(r.CaseId)!.Handshake is HandshakeRule.Established ? CloseBehavior.Ok : CloseBehavior.Informational);

    private static string Describe(Dictionary<string, CaseResult> results) =>
        string.Join("\n", results.Values.OrderBy(r => CaseId.Parse(r.CaseId)).Select(Runs.Describe));

    [Test]
    [CancelAfter(90_000)]
    public async Task The_sound_server_passes_every_server_case_of_category_15()
    {
        var results = await RunAsync(ServerViolation.None);

        Assert.That(results, Has.Count.EqualTo(CaseCatalogue.All.Count(c => c.Category == 15 && c.AppliesTo(PeerRoles.Server))));
        Assert.That(results.Values.Where(r => !AsSound(r)).Select(r => r.CaseId), Is.Empty, Describe(results));
    }

    [TestCase(ServerViolation.AcceptsAnyVersion, "15.2.6:F 15.2.7:F 15.2.8:F 15.2.5:I", "switched protocols")]
    [TestCase(ServerViolation.RefusesVersionWithoutField, "15.2.5:F 15.2.6:F 15.2.7:N", "Sec-WebSocket-Version")]
    [TestCase(ServerViolation.AcceptsMissingOrBadKey, "15.2.1:F 15.2.2:F 15.2.3:F 15.2.4:F", "switched protocols")]
    [TestCase(ServerViolation.UpgradesHttp10, "15.2.9:F", "HTTP/1.0")]
    [TestCase(ServerViolation.UpgradesAnyMethod, "15.2.10:F 15.2.11:F", "GET request")]
    [TestCase(ServerViolation.IgnoresHost, "15.2.16:F 15.2.17:F", "Host")]
    [TestCase(ServerViolation.WrongAccept, "15.1.*:F", "Sec-WebSocket-Accept")]
    [TestCase(ServerViolation.CaseSensitiveNames, "15.1.2:F 15.1.3:F", "case-insensitive")]
    [TestCase(ServerViolation.ExactUpgradeValue, "15.1.4:F", "Upgrade")]
    [TestCase(ServerViolation.ExactConnectionValue, "15.1.5:F 15.1.6:F", "Connection")]
    [TestCase(ServerViolation.EchoesProtocolList, "15.1.9:F 15.1.10:F", "subprotocol")]
    [TestCase(ServerViolation.AddsUnofferedExtension, "15.1.11:F 15.1.12:F", "did not offer")]
    [TestCase(ServerViolation.RefusesUnknownExtensions, "15.1.11:F 15.1.12:F", "instead of accepting")]
    [TestCase(ServerViolation.AnswersBeforeEmptyLine, "15.1.14:F", "before the request was complete")]
    [TestCase(ServerViolation.LosesEarlyFrame, "15.1.15:N", "stricter")]
    [CancelAfter(90_000)]
    public async Task A_broken_server_fails_exactly_the_cases_about_its_violation(ServerViolation violation, string expected, string because)
    {
        var results = await RunAsync(violation);
        var wanted = Expand(expected);
        if (violation == ServerViolation.WrongAccept)
        {
            // Every opening handshake fails, and the scheduler stops a target after five failed handshakes in a row.
            Assert.That(results, Has.Count.GreaterThanOrEqualTo(5), Describe(results));
            wanted = wanted.Where(w => results.ContainsKey(w.Key)).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);
        }

        // Answering early races with the last octets of the octet-by-octet request (15.1.13): either outcome is right there.
        var notSound = results.Values.Where(r => !AsSound(r) && !(violation == ServerViolation.AnswersBeforeEmptyLine && r.CaseId == "15.1.13"))
            .Select(r => r.CaseId).Order(StringComparer.Ordinal);
        Assert.That(notSound, Is.EqualTo(wanted.Keys.Order(StringComparer.Ordinal)), Describe(results));
        foreach (var (id, behavior) in wanted)
        {
            var r = results[id];
            Assert.That(r.Behavior, Is.EqualTo(behavior), Runs.Describe(r));
            Assert.That(r.BehaviorReason, Does.Contain(because).IgnoreCase, Runs.Describe(r));
        }
    }

    /// <summary>"15.2.6:F 15.1.*:N" → case ID → expected behaviour (F FAILED, N NON-STRICT, I INFORMATIONAL).</summary>
    private static Dictionary<string, Behavior> Expand(string spec)
    {
        var wanted = new Dictionary<string, Behavior>(StringComparer.Ordinal);
        foreach (string item in spec.Split(' '))
        {
            var (pattern, code) = (item[..item.IndexOf(':', StringComparison.Ordinal)], item[^1]);
            var behavior = code switch { 'F' => Behavior.Failed, 'N' => Behavior.NonStrict, _ => Behavior.Informational };
            foreach (var @case in CaseSelection.Select(CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Server), [pattern], []))
            {
                wanted[@case.Id.Text] = behavior;
            }
        }

        return wanted;
    }
}
