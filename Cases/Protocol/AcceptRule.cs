namespace Conformance.Cases.Protocol;

/// <summary>What the server-role tester asks for when it accepts an offer: Autobahn's "requestNoContextTakeover, requestMaxWindowBits".</summary>
/// <param name="RequestClientNoContextTakeover">Include <c>client_no_context_takeover</c> in the response.</param>
/// <param name="RequestClientMaxWindowBits">Include <c>client_max_window_bits=N</c> (0: not); only offers that include <c>client_max_window_bits</c> qualify.</param>
public sealed record AcceptTerms(bool RequestClientNoContextTakeover, int RequestClientMaxWindowBits)
{
    public override string ToString() => $"({(RequestClientNoContextTakeover ? "True" : "False")}, {RequestClientMaxWindowBits})";

    /// <summary>In words, for case descriptions.</summary>
    public string Describe()
    {
        var asks = new List<string>();
        if (RequestClientNoContextTakeover)
        {
            asks.Add("client_no_context_takeover");
        }

        if (RequestClientMaxWindowBits > 0)
        {
            asks.Add($"client_max_window_bits={RequestClientMaxWindowBits}");
        }

        string which = RequestClientMaxWindowBits > 0 ? "the first offer that includes client_max_window_bits" : "the first valid offer";
        return asks.Count == 0 ? $"accepts {which} as it is" : $"accepts {which}, answering with {string.Join("; ", asks)}";
    }
}

/// <summary>
/// How the server-role tester answers a client's offers: the first term that some valid offer
/// satisfies wins (Autobahn's accept functions of 13.1–13.7). The response echoes the client's own
/// <c>server_no_context_takeover</c> / <c>server_max_window_bits</c> requests. No terms: decline everything.
/// </summary>
public sealed record AcceptRule(IReadOnlyList<AcceptTerms> Terms)
{
    public static AcceptRule Any { get; } = new([new AcceptTerms(false, 0)]);

    public static AcceptRule DeclineAll { get; } = new([]);

    public static AcceptRule Of(params AcceptTerms[] terms) => new(terms);

    /// <summary>Autobahn's notation, as in its 13.x labels: [(requestNoContextTakeover, requestMaxWindowBits), …].</summary>
    public override string ToString() => Terms.Count == 0 ? "decline every offer" : "[" + string.Join(", ", Terms) + "]";

    /// <summary>In words, for case descriptions.</summary>
    public string Describe() => Terms.Count == 0 ? "declines every offer" : string.Join("; failing that, ", Terms.Select(t => t.Describe()));
}
