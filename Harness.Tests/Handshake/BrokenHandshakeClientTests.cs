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
/// Category 15 (clients) against an echo client with its own strict response check that skips one check at a
/// time: the sound client passes every case, and each broken one fails exactly the cases about its check.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class BrokenHandshakeClientTests
{
    private static readonly IReadOnlyList<Case> ClientCases =
        CaseSelection.Select(CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client), ["15.*"], []);

    private static readonly IReadOnlyList<Case> KeyCases =
        CaseSelection.Select(CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client), ["11.3.*"], []);

    private static async Task<Dictionary<string, CaseResult>> RunAsync(ClientViolation violation, IReadOnlyList<Case>? cases = null)
    {
        cases ??= ClientCases;
        await using var server = ClientTesting.Start(new ClientTestOptions { Plan = RunPlan.ForClients(cases) });
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        for (int n = 1; n <= cases.Count; n++)
        {
            var url = new Uri($"{server.BaseUrl}/runCase?case={n}&agent=client-{violation}");
            try
            {
                await HandshakeClient.RunAsync(url, violation, limit.Token);
            }
            catch (IOException)
            {
                // the harness dropped the connection: the client's part is over
            }

            // The result is recorded when the harness has finished the case, a moment after the client's part.
            while (server.Results.Count < n && !limit.IsCancellationRequested)
            {
                await Task.Delay(10, limit.Token);
            }
        }

        return server.Results.ToDictionary(r => r.CaseId, StringComparer.Ordinal);
    }

    private static bool AsSound(CaseResult r) =>
        r.Behavior == Behavior.Ok && r.CloseBehavior == (CaseCatalogue.Find(r.CaseId)!.Handshake is null or HandshakeRule.Established ? CloseBehavior.Ok : CloseBehavior.Informational);

    private static string Describe(Dictionary<string, CaseResult> results) =>
        string.Join("\n", results.Values.OrderBy(r => CaseId.Parse(r.CaseId)).Select(Runs.Describe));

    [Test]
    [CancelAfter(90_000)]
    public async Task The_sound_client_passes_every_client_case_of_category_15()
    {
        var results = await RunAsync(ClientViolation.None);

        Assert.That(results, Has.Count.EqualTo(ClientCases.Count));
        Assert.That(ClientCases, Has.Count.GreaterThanOrEqualTo(15));
        Assert.That(results.Values.Where(r => !AsSound(r)).Select(r => r.CaseId), Is.Empty, Describe(results));
    }

    [TestCase(ClientViolation.IgnoresAccept, "15.3.1 15.3.2 15.3.3", Behavior.Failed)]
    [TestCase(ClientViolation.IgnoresStatus, "15.3.4 15.3.5 15.3.6 15.3.7", Behavior.Failed)]
    [TestCase(ClientViolation.AcceptsHttp10, "15.3.12", Behavior.NonStrict)]
    [TestCase(ClientViolation.IgnoresUpgradeField, "15.3.8 15.3.9", Behavior.Failed)]
    [TestCase(ClientViolation.IgnoresConnectionField, "15.3.10 15.3.11", Behavior.Failed)]
    [TestCase(ClientViolation.IgnoresSubprotocol, "15.3.13", Behavior.Failed)]
    [TestCase(ClientViolation.IgnoresExtensions, "15.3.14 15.3.15", Behavior.Failed)]
    [TestCase(ClientViolation.ExactConnectionValue, "15.4.4", Behavior.Failed)]
    [TestCase(ClientViolation.CaseSensitiveNames, "15.4.2 15.4.3", Behavior.Failed)]
    [TestCase(ClientViolation.NoAcceptTrim, "15.4.6", Behavior.Failed)]
    [TestCase(ClientViolation.ReadsHeadOnce, "15.4.7", Behavior.Failed)]
    [TestCase(ClientViolation.DropsOctetsAfterHead, "15.4.8", Behavior.Failed)]
    [CancelAfter(90_000)]
    public async Task A_broken_client_fails_exactly_the_cases_about_its_violation(ClientViolation violation, string expected, Behavior behavior)
    {
        var results = await RunAsync(violation);
        string[] wanted = expected.Split(' ');
        var notSound = results.Values.Where(r => !AsSound(r)).Select(r => r.CaseId).ToArray();
        if (violation == ClientViolation.DropsOctetsAfterHead)
        {
            // The tester's message usually follows the 101 in its own segment, but TCP may hand both to one read: then
            // any 15.4 case loses it. Only 15.4.8 (response and frame in one write) loses it every time.
            notSound = notSound.Where(id => id == "15.4.8" || !id.StartsWith("15.4.", StringComparison.Ordinal)).ToArray();
        }

        Assert.That(notSound.Order(StringComparer.Ordinal), Is.EqualTo(wanted.Order(StringComparer.Ordinal)), Describe(results));
        foreach (string id in wanted)
        {
            Assert.That(results[id].Behavior, Is.EqualTo(behavior), Runs.Describe(results[id]));
        }

        var wentOn = results.Values.Where(r => r.CaseId.StartsWith("15.3.", StringComparison.Ordinal) && wanted.Contains(r.CaseId));
        Assert.That(wentOn.Select(r => r.BehaviorReason), Has.All.Contain("the client went on"), "a refused response is judged on what the client did next");
    }

    [TestCase(ClientViolation.None, new string[0])]
    [TestCase(ClientViolation.RepeatsMaskKey, new[] { "11.3.1" })]
    [TestCase(ClientViolation.ZeroMaskKey, new[] { "11.3.1", "11.3.2" })] // a zero key on every frame is also a repeated key
    [CancelAfter(60_000)]
    public async Task The_masking_key_cases_fail_a_client_whose_keys_repeat_or_are_zero(ClientViolation violation, string[] expected)
    {
        var results = await RunAsync(violation, KeyCases);

        Assert.That(results, Has.Count.EqualTo(2), Describe(results));
        Assert.That(results.Values.Where(r => !AsSound(r)).Select(r => r.CaseId).Order(StringComparer.Ordinal), Is.EqualTo(expected), Describe(results));
        Assert.That(results.Values.Where(r => r.Behavior == Behavior.Failed).Select(r => r.BehaviorReason), Has.All.Contain("RFC 6455 §5.3"));
        Assert.That(results.Values.Select(r => r.BehaviorReason), Has.All.Contain("the client's masking keys (17 frames)"), "the keys are on the case page: 16 echoes and the close");
    }
}
