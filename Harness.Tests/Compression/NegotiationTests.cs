using Conformance.Cases.Protocol;
using NUnit.Framework;

namespace Conformance.Tests.Compression;

/// <summary>permessage-deflate negotiation as pure functions (RFC 7692 §5, §7.1): strict parsing, the client's check of a response, the server's accept rules.</summary>
public sealed class NegotiationTests
{
    private const string Autobahn131 = "permessage-deflate; client_no_context_takeover; client_max_window_bits";

    [TestCase("permessage-deflate", "permessage-deflate")]
    [TestCase("permessage-deflate ;client_max_window_bits ; server_max_window_bits=10", "permessage-deflate; client_max_window_bits; server_max_window_bits=10")]
    [TestCase("permessage-deflate; server_max_window_bits=\"10\"", "permessage-deflate; server_max_window_bits=\"10\"")]
    [TestCase("x-foo, permessage-deflate;a=b", "x-foo, permessage-deflate; a=b")]
    [TestCase(" , permessage-deflate ,, ", "permessage-deflate")]
    public void The_extension_header_grammar_of_RFC_6455_section_9_1_is_read(string header, string canonical)
    {
        var elements = ExtensionHeader.Parse(header, out string? error);

        Assert.That(error, Is.Null);
        Assert.That(ExtensionHeader.Format(elements!), Is.EqualTo(canonical));
    }

    [TestCase("permessage-deflate; =1")]
    [TestCase("permessage-deflate; a=")]
    [TestCase("permessage-deflate; a=\"unterminated")]
    [TestCase("permessage-deflate; a=\"two words\"")]
    [TestCase("permessage deflate")]
    [TestCase("; a")]
    public void Malformed_headers_give_an_error_and_never_throw(string header)
    {
        Assert.That(ExtensionHeader.Parse(header, out string? error), Is.Null);
        Assert.That(error, Does.Contain("RFC 6455 §9.1"));
    }

    [TestCase("permessage-deflate; client_max_window_bits", false, true, null)]
    [TestCase("permessage-deflate; client_max_window_bits=8", false, true, 8)]
    [TestCase("permessage-deflate; client_max_window_bits=\"15\"", true, true, 15)]
    [TestCase("permessage-deflate", true, false, null)]
    public void Client_max_window_bits_may_stand_alone_in_an_offer_only(string element, bool isResponse, bool present, int? bits)
    {
        var parsed = PerMessageDeflate.Parse(ExtensionHeader.Parse(element, out _)![0], isResponse, out string? error);

        Assert.That(error, Is.Null);
        Assert.That(parsed!.ClientMaxWindowBitsPresent, Is.EqualTo(present));
        Assert.That(parsed.ClientMaxWindowBits, Is.EqualTo(bits));
    }

    [TestCase("permessage-deflate; client_max_window_bits", true, "§7.1.2.2")]
    [TestCase("permessage-deflate; server_max_window_bits", false, "§7.1.2.1")]
    [TestCase("permessage-deflate; server_max_window_bits=16", false, "§7.1.2.1")]
    [TestCase("permessage-deflate; server_max_window_bits=7", true, "§7.1.2.1")]
    [TestCase("permessage-deflate; server_max_window_bits=09", false, "leading zeros")]
    [TestCase("permessage-deflate; server_max_window_bits=+9", false, "§7.1.2.1")]
    [TestCase("permessage-deflate; client_max_window_bits=0x9", false, "§7.1.2.2")]
    [TestCase("permessage-deflate; server_no_context_takeover=1", false, "§7.1.1.1")]
    [TestCase("permessage-deflate; client_no_context_takeover=\"\"", true, "RFC 6455 §9.1")]
    [TestCase("permessage-deflate; server_no_context_takeover; server_no_context_takeover", false, "more than once")]
    [TestCase("permessage-deflate; server_max_window_bits=10; SERVER_MAX_WINDOW_BITS=10", true, "more than once")]
    [TestCase("permessage-deflate; mystery", false, "unknown parameter")]
    public void Parameters_are_parsed_strictly(string element, bool isResponse, string because)
    {
        var elements = ExtensionHeader.Parse(element, out string? syntax);
        string? error = syntax;
        if (elements is not null)
        {
            Assert.That(PerMessageDeflate.Parse(elements[0], isResponse, out error), Is.Null);
        }

        Assert.That(error, Does.Contain(because));
    }

    [Test]
    public void No_response_header_means_the_server_declined()
    {
        var result = PerMessageDeflate.CheckResponse([Autobahn131], null);

        Assert.That(result.Agreement, Is.Null);
        Assert.That(result.Error, Is.Null);
    }

    [TestCase("permessage-deflate; client_no_context_takeover", 15, true, 15, false)]
    [TestCase("permessage-deflate", 15, false, 15, false)]
    [TestCase("permessage-deflate; client_max_window_bits=9; server_no_context_takeover", 9, false, 15, true)]
    [TestCase("permessage-deflate; server_max_window_bits=12", 15, false, 12, false)]
    public void A_legal_response_gives_the_agreement_it_means(string response, int clientBits, bool clientReset, int serverBits, bool serverReset)
    {
        var result = PerMessageDeflate.CheckResponse([Autobahn131], response);

        Assert.That(result.Error, Is.Null);
        Assert.That(result.Agreement!.ClientToServer, Is.EqualTo(new DeflateDirection(clientBits, clientReset)));
        Assert.That(result.Agreement.ServerToClient, Is.EqualTo(new DeflateDirection(serverBits, serverReset)));
        Assert.That(result.Agreement.TesterSends(testerIsServer: false), Is.EqualTo(result.Agreement.ClientToServer));
        Assert.That(result.Agreement.PeerSends(testerIsServer: false), Is.EqualTo(result.Agreement.ServerToClient));
    }

    [TestCase("permessage-deflate", "permessage-deflate; x_unknown", "unknown parameter")]
    [TestCase("permessage-deflate", "permessage-deflate; client_max_window_bits", "§7.1.2.2")]
    [TestCase("permessage-deflate", "permessage-deflate; client_max_window_bits=10", "did not include client_max_window_bits")]
    [TestCase("permessage-deflate; client_max_window_bits=10", "permessage-deflate; client_max_window_bits=11", "larger than the 10 offered")]
    [TestCase("permessage-deflate; server_max_window_bits=9", "permessage-deflate", "server_max_window_bits=9")]
    [TestCase("permessage-deflate; server_max_window_bits=9", "permessage-deflate; server_max_window_bits=10", "larger than the 9 offered")]
    [TestCase("permessage-deflate; server_no_context_takeover", "permessage-deflate", "§7.1.1.1")]
    [TestCase("permessage-deflate", "permessage-deflate; server_max_window_bits=16", "§7.1.2.1")]
    [TestCase("permessage-deflate", "permessage-deflate; server_no_context_takeover; server_no_context_takeover", "more than once")]
    [TestCase("permessage-deflate", "permessage-deflate, permessage-deflate", "2 times")]
    [TestCase("permessage-deflate", "x-webkit-deflate-frame", "not offered")]
    [TestCase("permessage-deflate; x_unknown", "permessage-deflate", "had to be declined")]
    public void The_client_refuses_a_response_its_offers_do_not_allow(string offer, string response, string because)
    {
        var result = PerMessageDeflate.CheckResponse([offer], response);

        Assert.That(result.Agreement, Is.Null);
        Assert.That(result.Error, Does.Contain(because));
    }

    [TestCase("permessage-deflate", "permessage-deflate; server_no_context_takeover", "unasked server_no_context_takeover (§7.1.1.1: a server MAY)")]
    [TestCase("permessage-deflate", "permessage-deflate; client_no_context_takeover", "unasked client_no_context_takeover (§7.1.1.2)")]
    [TestCase("permessage-deflate", "permessage-deflate; server_max_window_bits=8", "unasked server_max_window_bits (§7.1.2.1: a server MAY)")]
    [TestCase("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=9", "a smaller server window than asked")]
    [TestCase("permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=8", "any client window when the offer gave none")]
    public void A_server_may_add_what_the_RFC_lets_it_add(string offer, string response, string why)
    {
        Assert.That(PerMessageDeflate.CheckResponse([offer], response).Error, Is.Null, why);
    }

    [Test]
    public void With_several_offers_the_response_must_accept_one_of_them()
    {
        string[] offers =
        [
            "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9",
            "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover",
            Autobahn131,
        ];

        Assert.That(PerMessageDeflate.CheckResponse(offers, "permessage-deflate; server_no_context_takeover; server_max_window_bits=9").Summary, Does.Contain("offer 1"));
        Assert.That(PerMessageDeflate.CheckResponse(offers, "permessage-deflate; server_no_context_takeover").Summary, Does.Contain("offer 2"));
        Assert.That(PerMessageDeflate.CheckResponse(offers, "permessage-deflate").Summary, Does.Contain("offer 3"));
        Assert.That(PerMessageDeflate.CheckResponse(offers.Take(2).ToArray(), "permessage-deflate").Error, Does.Contain("offer 1").And.Contain("offer 2"));
    }

    [Test]
    public void An_acceptance_of_an_invalid_offer_is_flagged_as_such()
    {
        var result = PerMessageDeflate.CheckResponse(["permessage-deflate; server_max_window_bits=09"], "permessage-deflate; server_max_window_bits=9");

        Assert.That(result.Error, Is.Not.Null);
        Assert.That(result.AcceptsInvalidOffer, Is.True);
    }

    // Server side: Autobahn's accept rules of 13.1-13.7 -------------------------------------------------

    [TestCase(false, 0, Autobahn131, "permessage-deflate")]
    [TestCase(true, 0, Autobahn131, "permessage-deflate; client_no_context_takeover")]
    [TestCase(false, 9, Autobahn131, "permessage-deflate; client_max_window_bits=9")]
    [TestCase(true, 15, Autobahn131, "permessage-deflate; client_no_context_takeover; client_max_window_bits=15")]
    [TestCase(false, 0, "permessage-deflate; server_no_context_takeover; server_max_window_bits=10", "permessage-deflate; server_no_context_takeover; server_max_window_bits=10")]
    [TestCase(false, 12, "permessage-deflate; client_max_window_bits=10", "permessage-deflate; client_max_window_bits=10")]
    public void The_server_role_answers_by_the_rule_and_echoes_the_clients_own_requests(bool noContext, int bits, string offer, string response)
    {
        var result = PerMessageDeflate.Accept(offer, AcceptRule.Of(new AcceptTerms(noContext, bits)));

        Assert.That(result.Response, Is.EqualTo(response));
        Assert.That(PerMessageDeflate.CheckResponse([offer], result.Response).Error, Is.Null, "the tester's own answer must pass the client's check");
    }

    [Test]
    public void A_rule_that_asks_for_a_client_window_needs_an_offer_with_client_max_window_bits()
    {
        var result = PerMessageDeflate.Accept("permessage-deflate", AcceptRule.Of(new AcceptTerms(false, 9)));

        Assert.That(result.Agreement, Is.Null);
        Assert.That(result.Response, Is.Null);
    }

    [Test]
    public void Rule_13_7_tries_its_terms_in_order()
    {
        var rule = AcceptRule.Of(new AcceptTerms(true, 9), new AcceptTerms(true, 0), new AcceptTerms(false, 0));

        Assert.That(PerMessageDeflate.Accept(Autobahn131, rule).Response, Is.EqualTo("permessage-deflate; client_no_context_takeover; client_max_window_bits=9"));
        Assert.That(PerMessageDeflate.Accept("permessage-deflate", rule).Response, Is.EqualTo("permessage-deflate; client_no_context_takeover"));
    }

    [Test]
    public void The_server_role_declines_invalid_offers_and_takes_the_next_valid_one()
    {
        var result = PerMessageDeflate.Accept("permessage-deflate; server_max_window_bits=16, x-other, permessage-deflate; client_max_window_bits", AcceptRule.Any);

        Assert.That(result.Response, Is.EqualTo("permessage-deflate"));
        Assert.That(result.Declined, Has.Count.EqualTo(2));
        Assert.That(result.Declined[0], Does.Contain("must decline"));
    }

    [Test]
    public void Declining_everything_agrees_nothing()
    {
        var result = PerMessageDeflate.Accept(Autobahn131, AcceptRule.DeclineAll);

        Assert.That(result.Agreement, Is.Null);
        Assert.That(result.Response, Is.Null);
    }

    [Test]
    public void Agreed_window_bits_of_a_response_map_to_the_directions_of_either_role()
    {
        var agreed = DeflateAgreement.From(new DeflateParameters { ClientMaxWindowBitsPresent = true, ClientMaxWindowBits = 10, ServerNoContextTakeover = true });

        Assert.That(agreed.TesterSends(testerIsServer: true), Is.EqualTo(new DeflateDirection(15, true)));
        Assert.That(agreed.PeerSends(testerIsServer: true), Is.EqualTo(new DeflateDirection(10, false)));
        Assert.That(agreed.Response, Is.EqualTo("permessage-deflate; server_no_context_takeover; client_max_window_bits=10"));
    }
}
