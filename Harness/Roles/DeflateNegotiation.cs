using System.Globalization;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Roles;

/// <summary>What the server-role tester answers to a client's permessage-deflate offers, and what that agrees.</summary>
internal sealed record DeflateAnswer(string? Response, DeflateAgreement? Agreement, string Summary, string? Unavailable = null);

/// <summary>
/// permessage-deflate in the roles: the client side in server testing (words for the wire log, the
/// refused-handshake outcome of 14.1) and the server side in client testing (the answer by the case's rule).
/// </summary>
internal static class DeflateNegotiation
{
    /// <summary>
    /// Client testing: the answer to the client's offers by the case's accept rule (RFC 7692 §5, §7; invalid
    /// offers are declined). Without zlib, or for a case about offers (no rule), nothing is accepted.
    /// </summary>
    public static DeflateAnswer Answer(DeflateSetup setup, string? offers)
    {
        string offered = offers is null ? "the client offered no extension" : $"the client offered '{offers}'";
        if (setup.Accept is not { } rule)
        {
            return new(null, null, $"permessage-deflate: {offered}; this case is about offers and applies to servers only");
        }

        if (Wire.Deflate.Zlib.Problem is { } noZlib)
        {
            return new(null, null, $"permessage-deflate: {offered}; declined: {noZlib}", noZlib);
        }

        var answer = PerMessageDeflate.Accept(offers, rule);
        string declined = answer.Declined.Count == 0 ? "" : $" (declined: {string.Join("; ", answer.Declined)})";
        string summary = answer.Response is { } response
            ? $"permessage-deflate: {offered}; the tester answered '{response}'{declined}"
            : $"permessage-deflate: {offered}; the tester answered without the extension: {answer.Summary}{declined}";
        return new(answer.Response, answer.Agreement, summary);
    }

    public static string Describe(DeflateSetup setup, HttpHead response, ClientNegotiation negotiation)
    {
        string offered = setup.OfferHeader is { } header ? $"offered '{header}'" : "offered no extension";
        string answered = response.Get("Sec-WebSocket-Extensions") is { } extensions ? $"the server answered '{extensions}'" : "the server answered without Sec-WebSocket-Extensions";
        return $"permessage-deflate: {offered}; {answered}: {negotiation.Error ?? negotiation.Summary}";
    }

    /// <summary>Records a parameter the server's acceptance left out (RFC 7692 §7.1.1.1, §7.1.2.1), for the judge to name or, in 14.6, to judge.</summary>
    public static Observations WithOmittedRepeat(Observations played, OmittedParameter? omitted) =>
        omitted is not null && played.Deflate is { } deflate ? played with { Deflate = deflate with { OmittedRepeat = omitted } } : played;

    /// <summary>
    /// 14.1: a server that answers invalid offers with an HTTP error instead of declining them. Only when the
    /// case plays anyway without agreement (it made offers a server must decline) and the answer is an HTTP error status.
    /// </summary>
    public static Observations Refused(DeflateSetup? setup, HttpHead? response, Observations failed)
    {
        if (setup is not { WithoutAgreement: WithoutDeflate.PlayAnyway, Offers.Count: > 0 } || response is null)
        {
            return failed;
        }

        string[] status = response.StartLine.Split(' ', 3);
        if (status.Length < 2 || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code) || code < 400)
        {
            return failed;
        }

        return failed with
        {
            Deflate = new DeflateObservations
            {
                Negotiation = $"offered '{setup.OfferHeader}'; the server answered '{response.StartLine}'",
                RefusedWithStatus = code,
            },
        };
    }
}
