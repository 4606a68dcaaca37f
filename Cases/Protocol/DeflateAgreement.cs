namespace Conformance.Cases.Protocol;

/// <summary>
/// The parameters of one permessage-deflate offer or response (RFC 7692 §7.1). In an offer
/// <c>client_max_window_bits</c> may stand without a value ("I can use one; pick it"), so it is a
/// presence flag plus an optional number.
/// </summary>
public sealed record DeflateParameters
{
    public bool ServerNoContextTakeover { get; init; }

    public bool ClientNoContextTakeover { get; init; }

    public int? ServerMaxWindowBits { get; init; }

    public bool ClientMaxWindowBitsPresent { get; init; }

    public int? ClientMaxWindowBits { get; init; }

    /// <summary>The element as written in a header, e.g. <c>permessage-deflate; client_max_window_bits=10</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string> { PerMessageDeflate.Name };
        if (ServerNoContextTakeover)
        {
            parts.Add(PerMessageDeflate.ServerNoContextTakeover);
        }

        if (ClientNoContextTakeover)
        {
            parts.Add(PerMessageDeflate.ClientNoContextTakeover);
        }

        if (ServerMaxWindowBits is { } s)
        {
            parts.Add($"{PerMessageDeflate.ServerMaxWindowBits}={s}");
        }

        if (ClientMaxWindowBitsPresent)
        {
            parts.Add(ClientMaxWindowBits is { } c ? $"{PerMessageDeflate.ClientMaxWindowBits}={c}" : PerMessageDeflate.ClientMaxWindowBits);
        }

        return string.Join("; ", parts);
    }
}

/// <summary>How one direction of a connection compresses: its LZ77 window and whether it resets its context per message.</summary>
public sealed record DeflateDirection(int WindowBits, bool NoContextTakeover)
{
    public int WindowSize => 1 << WindowBits;

    public override string ToString() => $"window 2^{WindowBits}{(NoContextTakeover ? ", no context takeover" : ", context takeover")}";
}

/// <summary>
/// What both ends agreed (RFC 7692 §7.1), read from the accepted response: how the client compresses
/// what it sends to the server, and how the server compresses what it sends to the client.
/// </summary>
public sealed record DeflateAgreement(DeflateDirection ClientToServer, DeflateDirection ServerToClient, string Response)
{
    /// <summary>How the tester compresses what it sends, given its role.</summary>
    public DeflateDirection TesterSends(bool testerIsServer) => testerIsServer ? ServerToClient : ClientToServer;

    /// <summary>How the peer compresses what the tester receives, given the tester's role.</summary>
    public DeflateDirection PeerSends(bool testerIsServer) => testerIsServer ? ClientToServer : ServerToClient;

    /// <summary>
    /// The agreement with the client's own hints kept (RFC 7692 §7.1.1.2, §7.1.2.2): an offered <c>client_no_context_takeover</c>
    /// means the client will not use context takeover, an offered <c>client_max_window_bits=N</c> that it will not use a window
    /// above 2^N, whatever the response says. Every offer counts (the strictest hint wins), which is always legal.
    /// </summary>
    public DeflateAgreement WithClientHints(IReadOnlyList<string> offers)
    {
        var parsed = offers.Select(o => PerMessageDeflate.ParseOffer(o, out _)).OfType<DeflateParameters>().ToArray();
        int window = parsed.Select(p => p.ClientMaxWindowBits ?? PerMessageDeflate.MaxWindowBits).Append(ClientToServer.WindowBits).Min();
        bool noContext = ClientToServer.NoContextTakeover || parsed.Any(p => p.ClientNoContextTakeover);
        return this with { ClientToServer = new DeflateDirection(window, noContext) };
    }

    /// <summary>The agreement a response's parameters mean: absent window bits mean 15.</summary>
    public static DeflateAgreement From(DeflateParameters response) => new(
        new DeflateDirection(response.ClientMaxWindowBits ?? PerMessageDeflate.DefaultWindowBits, response.ClientNoContextTakeover),
        new DeflateDirection(response.ServerMaxWindowBits ?? PerMessageDeflate.DefaultWindowBits, response.ServerNoContextTakeover),
        response.ToString());
}

/// <summary>The client's view of the negotiation: what was agreed, or why the handshake fails.</summary>
/// <param name="Agreement">Null when the server declined (no permessage-deflate in its response) or the response is illegal.</param>
/// <param name="Error">Why the client must fail the connection (RFC 7692 §7); null when the response is legal.</param>
/// <param name="Summary">What happened, in words, for the wire log.</param>
/// <param name="AcceptsInvalidOffer">The response is well-formed but accepts no valid offer, and some offer was invalid: the server accepted what it had to decline.</param>
/// <param name="OmittedRepeat">The response accepts an offer but leaves out a parameter the server must repeat to accept it (RFC 7692 §7.1.1.1, §7.1.2.1); played as what it means.</param>
public sealed record ClientNegotiation(DeflateAgreement? Agreement, string? Error, string Summary, bool AcceptsInvalidOffer = false)
{
    public OmittedParameter? OmittedRepeat { get; init; }
}

/// <summary>A parameter the client offered and the server's acceptance left out, in words; <see cref="OnlyTheDefault"/> when the value left out is the default window of 15 (same meaning).</summary>
public sealed record OmittedParameter(string Rule, bool OnlyTheDefault);

/// <summary>The server's side of the negotiation: the response element it sends (if any), what that means, and the offers it declined.</summary>
public sealed record ServerNegotiation(DeflateAgreement? Agreement, string? Response, IReadOnlyList<string> Declined, string Summary);
