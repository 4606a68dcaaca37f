using System.Globalization;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Roles;

/// <summary>The client side of permessage-deflate in server testing: words for the wire log, and the refused-handshake outcome of 14.1.</summary>
internal static class DeflateNegotiation
{
    public static string Describe(DeflateSetup setup, HttpHead response, ClientNegotiation negotiation)
    {
        string offered = setup.OfferHeader is { } header ? $"offered '{header}'" : "offered no extension";
        string answered = response.Get("Sec-WebSocket-Extensions") is { } extensions ? $"the server answered '{extensions}'" : "the server answered without Sec-WebSocket-Extensions";
        return $"permessage-deflate: {offered}; {answered}: {negotiation.Error ?? negotiation.Summary}";
    }

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
