using System.Globalization;

namespace Conformance.Cases.Protocol;

/// <summary>
/// permessage-deflate negotiation (RFC 7692 §5, §7.1) as pure functions for both roles: parsing
/// offers and responses strictly, checking a server's response against the client's offers, and
/// answering a client's offers by a rule. Nothing throws; problems come back as text with the
/// section that states the rule.
/// </summary>
public static class PerMessageDeflate
{
    public const string Name = "permessage-deflate";
    public const string ServerNoContextTakeover = "server_no_context_takeover";
    public const string ClientNoContextTakeover = "client_no_context_takeover";
    public const string ServerMaxWindowBits = "server_max_window_bits";
    public const string ClientMaxWindowBits = "client_max_window_bits";
    public const int DefaultWindowBits = 15;
    public const int MinWindowBits = 8;
    public const int MaxWindowBits = 15;

    /// <summary>
    /// Parses the parameters of a permessage-deflate element strictly (RFC 7692 §7): only the four
    /// defined parameters, each at most once, the <c>*_no_context_takeover</c> ones without a value, window
    /// bits as a decimal 8–15 without leading zeros; <c>client_max_window_bits</c> may be valueless in an
    /// offer but not in a response (§7.1.2.2).
    /// </summary>
    public static DeflateParameters? Parse(ExtensionElement element, bool isResponse, out string? error)
    {
        error = null;
        if (!string.Equals(element.Name, Name, StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{element.Name}' is not {Name}";
            return null;
        }

        string what = isResponse ? "response" : "offer";
        var result = new DeflateParameters();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in element.Parameters)
        {
            if (!seen.Add(parameter.Name))
            {
                error = $"parameter '{parameter.Name}' appears more than once in the {what} (RFC 7692 §7)";
                return null;
            }

            switch (parameter.Name.ToLowerInvariant())
            {
                case ServerNoContextTakeover:
                case ClientNoContextTakeover:
                    bool server = parameter.Name.Equals(ServerNoContextTakeover, StringComparison.OrdinalIgnoreCase);
                    if (parameter.Value is not null)
                    {
                        error = $"'{parameter}' in the {what}: this parameter has no value (RFC 7692 {(server ? "§7.1.1.1" : "§7.1.1.2")})";
                        return null;
                    }

                    result = server ? result with { ServerNoContextTakeover = true } : result with { ClientNoContextTakeover = true };
                    break;
                case ServerMaxWindowBits:
                    if (WindowBits(parameter, "§7.1.2.1", what, out error) is not { } serverBits)
                    {
                        return null;
                    }

                    result = result with { ServerMaxWindowBits = serverBits };
                    break;
                case ClientMaxWindowBits:
                    if (parameter.Value is null)
                    {
                        if (isResponse)
                        {
                            error = $"'{ClientMaxWindowBits}' without a value in the response: a response must give the window, 8–15 (RFC 7692 §7.1.2.2)";
                            return null;
                        }

                        result = result with { ClientMaxWindowBitsPresent = true };
                        break;
                    }

                    if (WindowBits(parameter, "§7.1.2.2", what, out error) is not { } clientBits)
                    {
                        return null;
                    }

                    result = result with { ClientMaxWindowBitsPresent = true, ClientMaxWindowBits = clientBits };
                    break;
                default:
                    error = $"unknown parameter '{parameter}' in the {what}: permessage-deflate defines only {ServerNoContextTakeover}, {ClientNoContextTakeover}, {ServerMaxWindowBits} and {ClientMaxWindowBits} (RFC 7692 §7)";
                    return null;
            }
        }

        return result;
    }

    /// <summary>Parses one offer element written as text, e.g. <c>permessage-deflate; client_max_window_bits</c>.</summary>
    public static DeflateParameters? ParseOffer(string element, out string? error)
    {
        var elements = ExtensionHeader.Parse(element, out error);
        if (elements is null)
        {
            return null;
        }

        if (elements.Count != 1)
        {
            error = $"'{element}' is not one extension element";
            return null;
        }

        return Parse(elements[0], isResponse: false, out error);
    }

    private static int? WindowBits(ExtensionParameter parameter, string section, string what, out string? error)
    {
        error = null;
        string? text = parameter.Value;
        if (text is null)
        {
            error = $"'{parameter.Name}' without a value in the {what}: it needs a window of 8–15 (RFC 7692 {section})";
            return null;
        }

        bool digits = text.Length is >= 1 and <= 2 && text.All(char.IsAsciiDigit) && text[0] != '0';
        if (!digits || int.Parse(text, CultureInfo.InvariantCulture) is < MinWindowBits or > MaxWindowBits)
        {
            error = $"'{parameter}' in the {what}: the value must be a decimal number from 8 to 15 without leading zeros (RFC 7692 {section})";
            return null;
        }

        return int.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The client's check of the server's <c>Sec-WebSocket-Extensions</c> response against its offers
    /// (RFC 7692 §5, §7; RFC 6455 §4.1 item 5). Unlike Autobahn's tester, this refuses a response that
    /// no valid offer allows: extensions not offered, parameters not offered or not allowed in a response,
    /// duplicates, values out of range, a window larger than the offer asked for, a missing acceptance of
    /// <c>server_no_context_takeover</c> or <c>server_max_window_bits</c>.
    /// </summary>
    /// <param name="offers">The elements the client offered, in order (invalid ones included: the server had to decline them).</param>
    /// <param name="response">The response header's value, or null when absent.</param>
    /// <param name="playOmittedRepeats">
    /// Accept a response that leaves out <c>server_no_context_takeover</c> or <c>server_max_window_bits</c> the offer asked
    /// for, as what it means (the server keeps its context, its window is at most 15 bits), and name the broken rule in
    /// <see cref="ClientNegotiation.OmittedRepeat"/>, when no offer is accepted in full.
    /// </param>
    public static ClientNegotiation CheckResponse(IReadOnlyList<string> offers, string? response, bool playOmittedRepeats = false)
    {
        var elements = ExtensionHeader.Parse(response, out string? syntax);
        if (elements is null)
        {
            return new(null, $"the Sec-WebSocket-Extensions response is malformed: {syntax}", "malformed response");
        }

        if (elements.Count == 0)
        {
            return new(null, null, offers.Count == 0 ? "nothing offered, nothing agreed" : "the server declined: no extension in its response");
        }

        var offered = new List<(int Number, DeflateParameters? Parameters, string? Invalid)>();
        for (int i = 0; i < offers.Count; i++)
        {
            var parsed = ParseOffer(offers[i], out string? invalid);
            offered.Add((i + 1, parsed, invalid));
        }

        foreach (var element in elements)
        {
            if (!string.Equals(element.Name, Name, StringComparison.OrdinalIgnoreCase))
            {
                return new(null, $"the server answered with extension '{element.Name}', which was not offered (RFC 6455 §4.1, §9.1)", "unoffered extension");
            }
        }

        if (elements.Count > 1)
        {
            return new(null, $"the response accepts {Name} {elements.Count} times; a server accepts at most one offer (RFC 7692 §5)", "accepted twice");
        }

        var accepted = Parse(elements[0], isResponse: true, out string? illegal);
        if (accepted is null)
        {
            return new(null, $"illegal {Name} response '{elements[0]}': {illegal}", "illegal response");
        }

        var reasons = new List<string>();
        foreach (var (number, parameters, invalid) in offered)
        {
            if (parameters is null)
            {
                reasons.Add($"offer {number} ('{offers[number - 1]}') was invalid and had to be declined ({invalid})");
                continue;
            }

            if (Mismatch(parameters, accepted) is { } why)
            {
                reasons.Add($"offer {number} ('{offers[number - 1]}'): {why}");
                continue;
            }

            var agreement = DeflateAgreement.From(accepted);
            return new(agreement, null, $"agreed '{accepted}' (offer {number})");
        }

        if (playOmittedRepeats)
        {
            foreach (var (number, parameters, _) in offered)
            {
                if (parameters is not null && Omitted(parameters, accepted) is { } omitted)
                {
                    return new(DeflateAgreement.From(accepted), null, $"played '{accepted}' as offer {number} accepted without a parameter it must repeat: {omitted.Rule}") { OmittedRepeat = omitted };
                }
            }
        }

        string detail = reasons.Count == 0 ? "nothing was offered" : string.Join("; ", reasons);
        bool invalidOffered = offered.Any(o => o.Parameters is null);
        return new(null, $"the response '{accepted}' is not a legal acceptance of any offer: {detail}", "response accepts no offer", invalidOffered);
    }

    /// <summary>
    /// When the response would accept the offer but for the server parameters it left out, what it left out; else null.
    /// What a response without them means: the server may keep its context and use a window of up to 15 bits.
    /// </summary>
    public static OmittedParameter? Omitted(DeflateParameters offer, DeflateParameters response)
    {
        if (Mismatch(offer, response) is null || Mismatch(offer with { ServerNoContextTakeover = false, ServerMaxWindowBits = null }, response) is not null)
        {
            return null;
        }

        var rules = new List<string>();
        bool noContext = offer.ServerNoContextTakeover && !response.ServerNoContextTakeover;
        if (noContext)
        {
            rules.Add($"the offer asked for {ServerNoContextTakeover}, which a server accepts only by including it (RFC 7692 §7.1.1.1), so the server may keep its context");
        }

        bool window = offer.ServerMaxWindowBits is not null && response.ServerMaxWindowBits is null;
        if (window)
        {
            rules.Add($"the offer asked for {ServerMaxWindowBits}={offer.ServerMaxWindowBits}, which a server accepts only by including it with the same or a smaller value (RFC 7692 §7.1.2.1), so its window is taken as up to 15 bits");
        }

        return new(string.Join("; ", rules), !noContext && window && offer.ServerMaxWindowBits == DefaultWindowBits);
    }

    /// <summary>Why <paramref name="response"/> does not accept <paramref name="offer"/> (RFC 7692 §7.1.1, §7.1.2), or null when it does.</summary>
    public static string? Mismatch(DeflateParameters offer, DeflateParameters response)
    {
        if (offer.ServerNoContextTakeover && !response.ServerNoContextTakeover)
        {
            return $"it asked for {ServerNoContextTakeover}, which the server accepts only by including it (RFC 7692 §7.1.1.1)";
        }

        if (offer.ServerMaxWindowBits is { } asked)
        {
            if (response.ServerMaxWindowBits is not { } given)
            {
                return $"it asked for {ServerMaxWindowBits}={asked}, which the server accepts only by including it with the same or a smaller value (RFC 7692 §7.1.2.1)";
            }

            if (given > asked)
            {
                return $"{ServerMaxWindowBits}={given} is larger than the {asked} offered (RFC 7692 §7.1.2.1)";
            }
        }

        if (response.ClientMaxWindowBits is { } clientBits)
        {
            if (!offer.ClientMaxWindowBitsPresent)
            {
                return $"the response has {ClientMaxWindowBits}={clientBits} but the offer did not include {ClientMaxWindowBits} (RFC 7692 §7.1.2.2)";
            }

            if (offer.ClientMaxWindowBits is { } limit && clientBits > limit)
            {
                return $"{ClientMaxWindowBits}={clientBits} is larger than the {limit} offered (RFC 7692 §7.1.2.2)";
            }
        }

        return null;
    }

    /// <summary>
    /// The server's side (RFC 7692 §5, §7): parses the client's offers, declines the invalid ones (as
    /// §7 requires) and answers the first valid offer a term of <paramref name="rule"/> accepts.
    /// </summary>
    public static ServerNegotiation Accept(string? offerHeader, AcceptRule rule)
    {
        var elements = ExtensionHeader.Parse(offerHeader, out string? syntax);
        if (elements is null)
        {
            return new(null, null, [$"the offer header is malformed: {syntax}"], "malformed offer");
        }

        var declined = new List<string>();
        var valid = new List<DeflateParameters>();
        foreach (var element in elements)
        {
            if (!string.Equals(element.Name, Name, StringComparison.OrdinalIgnoreCase))
            {
                declined.Add($"'{element}': not an extension the tester knows");
                continue;
            }

            if (Parse(element, isResponse: false, out string? invalid) is { } parameters)
            {
                valid.Add(parameters);
            }
            else
            {
                declined.Add($"'{element}': {invalid} - a server must decline it (RFC 7692 §7)");
            }
        }

        foreach (var terms in rule.Terms)
        {
            foreach (var offer in valid)
            {
                if (terms.RequestClientMaxWindowBits > 0 && !offer.ClientMaxWindowBitsPresent)
                {
                    continue;
                }

                var response = new DeflateParameters
                {
                    ServerNoContextTakeover = offer.ServerNoContextTakeover,
                    ServerMaxWindowBits = offer.ServerMaxWindowBits,
                    ClientNoContextTakeover = terms.RequestClientNoContextTakeover,
                    ClientMaxWindowBitsPresent = terms.RequestClientMaxWindowBits > 0,
                    ClientMaxWindowBits = terms.RequestClientMaxWindowBits > 0
                        ? Math.Min(terms.RequestClientMaxWindowBits, offer.ClientMaxWindowBits ?? MaxWindowBits)
                        : null,
                };
                return new(DeflateAgreement.From(response), response.ToString(), declined, $"accepted '{offer}' with '{response}'");
            }
        }

        return new(null, null, declined, valid.Count == 0 ? "no valid offer" : $"no offer fits {rule}");
    }
}
