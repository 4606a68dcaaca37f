using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Tests.Broken;
using NUnit.Framework;
using B = Conformance.Reports.Model.Behavior;
using C = Conformance.Reports.Model.CloseBehavior;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.VerdictTruth;

/// <summary>
/// Issue 10 items 6, 7 and 8: informational cases stay informational, and where the RFC gives a
/// peer latitude Autobahn ignores, our verdict (or reason) says so, citing the RFC.
/// </summary>
[TestFixture(Tested.Server)]
[TestFixture(Tested.Client)]
public sealed class LatitudeTests(Tested tested)
{
    private static readonly Timers Timers = new() { Scale = 0.5 };

    // Item 7: 2.10/2.11 — RFC 6455 §5.5.3 lets an endpoint answer only the most recent ping.

    [TestCase("2.10", new[] { 9 }, B.NonStrict)]
    [TestCase("2.10", new[] { 2, 5, 9 }, B.NonStrict)]
    [TestCase("2.10", new[] { 0 }, B.Failed)]
    [TestCase("2.10", new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8 }, B.Failed)]
    [TestCase("2.10", new[] { 9, 8 }, B.Failed)]
    [TestCase("2.11", new[] { 9 }, B.NonStrict)]
    public async Task Pongs_for_a_subset_of_the_pings_ending_with_the_latest_are_NON_STRICT(string caseId, int[] answered, B behavior)
    {
        var r = await SessionPair.PlayAsync(caseId, tested, async peer =>
        {
            var held = new List<byte[]>();
            for (int i = 0; i < 10; i++)
            {
                held.Add((await peer.ReadFrameAsync())!.Value.Payload);
            }

            foreach (int i in answered)
            {
                await peer.SendAsync(0xA, held[i]);
            }

            await peer.ReadUntilAsync(0x8); // C(3) closes, there being no full list to close on
            await peer.SendCloseAsync([]);
            await peer.EndAsync();
        }, Timers);
        Assert.That((r.Verdicts.Behavior, r.Verdicts.Close), Is.EqualTo((behavior, C.Ok)), SessionPair.Describe(r));
        if (behavior == B.NonStrict)
        {
            Assert.That(r.Verdicts.BehaviorReason, Does.Contain("RFC 6455 §5.5.3"));
        }
    }

    // Item 7: category 9 — a refusal with 1009/1008 stays FAILED, and the reason says where the limit lies.

    [TestCase((ushort)1009)]
    [TestCase((ushort)1008)]
    public async Task A_peer_refusing_a_large_message_is_FAILED_with_the_code_the_size_and_RFC_6455_10_4(ushort code)
    {
        var r = await SessionPair.PlayAsync("9.1.1", tested, async peer =>
        {
            var header = await peer.Wire.ReadHeaderAsync();
            await peer.Wire.SkipPayloadAsync(header!.Value);
            await peer.SendCloseAsync(code, Peer.Text("too big"));
            await peer.ReadUntilAsync(0x8);
            await peer.EndAsync();
        }, Timers);
        Assert.That((r.Verdicts.Behavior, r.Verdicts.Close), Is.EqualTo((B.Failed, C.Failed)), SessionPair.Describe(r)); // the peer closed where the tester should have
        Assert.That(r.Verdicts.BehaviorReason, Does.Contain($"close code {code}").And.Contain("65536 octets").And.Contain("RFC 6455 §10.4"));
    }

    // Item 6: 7.1.6 and 7.13.x are INFORMATIONAL in both verdicts even when the opening handshake fails.

    [TestCase("7.1.6")]
    [TestCase("7.13.1")]
    [TestCase("7.13.2")]
    public void Informational_cases_stay_informational_when_the_handshake_fails(string caseId)
    {
        var seen = new Observations { HandshakeCompleted = false, HandshakeError = "HTTP 404", TesterIsServer = tested == Tested.Client };
        var verdicts = Judge.Decide(CaseCatalogue.Find(caseId)!, seen);
        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((B.Informational, C.Informational)));
        Assert.That(Judge.Decide(CaseCatalogue.Find("7.1.1")!, seen).Behavior, Is.EqualTo(B.Failed), "other cases still fail without a handshake");
    }

    [Test]
    public void The_2_10_rule_lists_both_expectations_for_the_report()
    {
        var expected = CaseCatalogue.Find("2.10")!.Behavior.ExpectedTexts();
        Assert.That(expected.Keys, Is.EqualTo(new[] { "OK", "NON-STRICT" }));
        Assert.That(expected["NON-STRICT"].Single(), Does.Contain("payload-9").And.Contain("RFC 6455 §5.5.3"));
        Assert.That(CaseCatalogue.Find("2.10")!.Behavior, Is.TypeOf<ExpectPongs>());
    }
}

/// <summary>
/// Issue 10 item 6 through a real server-role run. The client role's handshake failures go through the same
/// judge (<see cref="LatitudeTests"/>), so this one has no client-role twin.
/// </summary>
public sealed class LatitudeServerRunTests
{
    private static readonly Timers Timers = new() { Scale = 0.5 };

    [Test]
    public async Task Informational_cases_stay_informational_against_a_server_that_refuses_the_handshake()
    {
        await using var server = ScriptedServer.Start(new ScriptedServerOptions { Handshake = HandshakeFault.NotFound });
        var results = await Runs.CasesAsync(server, ["7.1.6", "7.13.1"], Timers);
        Assert.Multiple(() =>
        {
            foreach (var result in results.Values)
            {
                Assert.That((result.Behavior, result.CloseBehavior), Is.EqualTo((B.Informational, C.Informational)), Runs.Describe(result));
            }
        });
    }
}
