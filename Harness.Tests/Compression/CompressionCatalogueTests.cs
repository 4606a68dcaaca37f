using Conformance.Cases.Data;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Compression;

/// <summary>Categories 12–14 as the catalogue defines them, and the judge's compression rules as pure functions.</summary>
public sealed class CompressionCatalogueTests
{
    private static Case Get(string id) => CaseCatalogue.Find(id) ?? throw new AssertionException($"case {id} is missing");

    [TestCase(12, 90)]
    [TestCase(13, 126)]
    [TestCase(14, 34)]
    public void Each_category_has_its_case_count(int category, int count) =>
        Assert.That(CaseCatalogue.All.Count(c => c.Category == category), Is.EqualTo(count));

    [Test]
    public void Twelve_uses_the_five_data_sets_in_Autobahns_order_with_its_labels()
    {
        string[] expected =
        [
            "Large JSON document, generated (utf8, 194056 bytes)",
            "Picture, generated bitmap 512x512 grey (binary, 263222 bytes)",
            "Human readable text, generated German-like verse drama (binary, 222218 bytes)",
            "Large HTML page, generated (utf8, 263647 bytes)",
            "A larger PDF-like file, generated (binary, 1042328 bytes)",
        ];

        Assert.That(Enumerable.Range(1, 5).Select(j => Get($"12.{j}.1").SubcategoryTitle), Is.EqualTo(expected));
        Assert.That(Enumerable.Range(1, 5).Select(j => ((ExpectDataSetEchoes)Get($"12.{j}.7").Behavior).Data), Is.EqualTo(DataSets.All));
    }

    [TestCase(1, 16, 60, 0)]
    [TestCase(3, 256, 120, 0)]
    [TestCase(4, 1024, 240, 0)]
    [TestCase(10, 131072, 480, 0)]
    [TestCase(11, 8192, 480, 256)]
    [TestCase(15, 131072, 480, 256)]
    [TestCase(16, 131072, 480, 1024)]
    [TestCase(18, 131072, 480, 32768)]
    public void The_size_matrix_is_Autobahns(int i, int units, int wait, int fragment)
    {
        foreach (string id in new[] { $"12.2.{i}", $"13.6.{i}" })
        {
            var @case = Get(id);
            var send = @case.Script.OfType<SendDataSetRoundTrips>().Single();
            Assert.That((send.Units, send.Count, send.FragmentSize), Is.EqualTo((units, 1000, fragment)), id);
            Assert.That(@case.Script.OfType<ArmCloseAfter>().Single().After, Is.EqualTo(TimeSpan.FromSeconds(wait)), id);
            Assert.That(@case.Close, Is.EqualTo(ExpectedClose.TesterCloses), id);
        }
    }

    [TestCase(1, "permessage-deflate; client_no_context_takeover; client_max_window_bits", "[(False, 0)]")]
    [TestCase(2, "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover", "[(True, 0)]")]
    [TestCase(3, "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=9", "[(False, 9)]")]
    [TestCase(4, "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=15", "[(False, 15)]")]
    [TestCase(5, "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9", "[(True, 9)]")]
    [TestCase(6, "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=15", "[(True, 15)]")]
    [TestCase(7, "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9, permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover, permessage-deflate; client_no_context_takeover; client_max_window_bits", "[(True, 9), (True, 0), (False, 0)]")]
    public void Thirteen_offers_and_accepts_as_Autobahn_does(int j, string offerHeader, string lists)
    {
        var @case = Get($"13.{j}.5");

        Assert.That(@case.Deflate!.OfferHeader, Is.EqualTo(offerHeader));
        Assert.That(@case.Deflate.Accept!.ToString(), Is.EqualTo(lists));
        Assert.That(@case.SubcategoryTitle, Is.EqualTo($"{DataSets.Json.Label} - client offers (requestNoContextTakeover, requestMaxWindowBits): {lists} / server accept (requestNoContextTakeover, requestMaxWindowBits): {lists}"));
        Assert.That(PerMessageDeflate.Accept(offerHeader, @case.Deflate.Accept).Response, Is.Not.Null, "the tester as server accepts its own client offer");
    }

    [Test]
    public void Every_case_of_14_names_its_RFC_7692_section_and_14_1_and_14_6_apply_to_servers_only()
    {
        var fourteen = CaseCatalogue.All.Where(c => c.Category == 14).ToArray();

        Assert.That(fourteen.Where(c => !c.RfcSection.Contains("RFC 7692 §", StringComparison.Ordinal)).Select(c => c.Id.Text), Is.Empty);
        Assert.That(fourteen.Where(c => c.Deflate is null).Select(c => c.Id.Text), Is.Empty);
        Assert.That(fourteen.Where(c => !c.Deflate!.AppliesWhenTesterIsServer).Select(c => c.Id.Subcategory).Distinct(), Is.EqualTo(new[] { "14.1", "14.6" }));
        Assert.That(fourteen.Where(c => c.Deflate!.InspectPeer).Select(c => c.Id.Text), Is.EqualTo(new[] { "14.2.1", "14.2.2", "14.3.1" }));
    }

    [Test]
    public void The_cases_that_need_no_agreement_say_so()
    {
        var playAnyway = CaseCatalogue.All.Where(c => c.Deflate is { WithoutAgreement: WithoutDeflate.PlayAnyway }).Select(c => c.Id.Text);

        Assert.That(playAnyway, Is.EqualTo(Enumerable.Range(1, 9).Select(i => $"14.1.{i}").Append("14.5.4")));
    }

    [Test]
    public void Building_the_catalogue_generates_no_data_set()
    {
        // A definition's canonical text mentions the data set by its declared hash only.
        string canonical = Conformance.Cases.Catalogue.CaseDefinition.Canonical(Get("12.5.18"));

        Assert.That(canonical, Does.Contain(DataSets.Pdf.Sha256));
        Assert.That(canonical, Does.Contain("offers=[permessage-deflate; client_no_context_takeover; client_max_window_bits]"));
    }

    // ---- the judge ------------------------------------------------------------------------------------

    private static Observations Seen(DeflateObservations deflate, int matched = 0, string? mismatch = null, bool closedByMe = true) => new()
    {
        HandshakeCompleted = true,
        EchoesMatched = matched,
        EchoMismatch = mismatch,
        Deflate = deflate,
        Closing = new CloseDetails { ClosedByMe = closedByMe, WasClean = true, RemoteCloseCode = 1000 },
    };

    [Test]
    public void Without_an_agreement_12_is_UNIMPLEMENTED_and_the_close_is_judged_as_the_testers()
    {
        var verdicts = Judge.Decide(Get("12.1.1"), Seen(new DeflateObservations { Unimplemented = "permessage-deflate was not agreed" }));

        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Unimplemented, CloseBehavior.Ok)));
    }

    [Test]
    public void A_refusal_case_without_an_agreement_is_UNIMPLEMENTED_though_its_profile_expects_the_peer_to_close()
    {
        var verdicts = Judge.Decide(Get("14.5.1"), Seen(new DeflateObservations { Unimplemented = "not agreed" }));

        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Unimplemented, CloseBehavior.Ok)));
    }

    [Test]
    public void Without_zlib_the_case_fails_with_that_reason_but_not_as_an_unreachable_server()
    {
        var seen = Seen(new DeflateObservations { Unavailable = "permessage-deflate needs the system zlib; Windows ships none" }) with { HttpResponse = "HTTP/1.1 101 Switching Protocols\r\n\r\n" };

        var verdicts = Judge.Decide(Get("13.2.4"), seen);

        Assert.That((verdicts.Behavior, verdicts.Close), Is.EqualTo((Behavior.Failed, CloseBehavior.Ok)));
        Assert.That(verdicts.BehaviorReason, Does.Contain("Windows ships none"));
    }

    [Test]
    public void All_echoes_equal_is_OK_with_the_agreement_in_the_reason()
    {
        var agreement = PerMessageDeflate.CheckResponse(["permessage-deflate"], "permessage-deflate").Agreement;
        var verdicts = Judge.Decide(Get("12.1.1"), Seen(new DeflateObservations { Agreement = agreement, Statistics = "ratios" }, matched: 1000));

        Assert.That(verdicts.Behavior, Is.EqualTo(Behavior.Ok));
        Assert.That(verdicts.BehaviorReason, Does.Contain("agreed 'permessage-deflate'").And.Contain("ratios"));
    }

    [Test]
    public void A_mismatching_echo_is_FAILED_with_the_first_difference()
    {
        var verdicts = Judge.Decide(Get("12.4.3"), Seen(new DeflateObservations(), matched: 41, mismatch: "echo 42 of 1000 was the right length, but its octets differ from the message sent from octet 7 on"));

        Assert.That(verdicts.Behavior, Is.EqualTo(Behavior.Failed));
        Assert.That(verdicts.BehaviorReason, Does.Contain("octet 7"));
    }

    [Test]
    public void A_window_violation_fails_a_case_whose_events_were_right()
    {
        var seen = Seen(new DeflateObservations { PeerViolation = "compressed message 3 from the peer: beyond the agreed window" }) with
        {
            Events = Enumerable.Repeat<Event>(MessageEvent.Expect(Conformance.Cases.Data.CompressionPayloads.RepeatedBlocks(700, 6, 0x57494E00UL + 9), false), 10).ToArray(),
        };

        var verdicts = Judge.Decide(Get("14.2.1"), seen);

        Assert.That(verdicts.Behavior, Is.EqualTo(Behavior.Failed));
        Assert.That(verdicts.BehaviorReason, Does.StartWith("compressed message 3"));
    }

    [Test]
    public void An_illegal_response_is_FAILED_both_ways_and_a_refused_handshake_NON_STRICT()
    {
        var failed = new Observations { HandshakeCompleted = false, Deflate = new DeflateObservations { IllegalResponse = "server_max_window_bits=10 is larger than the 9 offered" } };
        var refused = new Observations { HandshakeCompleted = false, Deflate = new DeflateObservations { RefusedWithStatus = 400 } };

        var illegal = Judge.Decide(Get("13.3.1"), failed);
        var http = Judge.Decide(Get("14.1.1"), refused);

        Assert.That((illegal.Behavior, illegal.Close), Is.EqualTo((Behavior.Failed, CloseBehavior.Failed)));
        Assert.That(illegal.BehaviorReason, Does.Contain("RFC 7692 §7").And.Contain("larger than the 9 offered"));
        Assert.That(illegal.CloseReason, Does.Not.Contain("opening handshake never completed"), "not counted as an unreachable server by the scheduler");
        Assert.That((http.Behavior, http.Close), Is.EqualTo((Behavior.NonStrict, CloseBehavior.Informational)));
    }
}
