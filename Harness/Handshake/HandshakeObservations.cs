namespace Conformance.Harness.Handshake;

/// <summary>What the tester saw of a scripted opening handshake (category 15): the judge's input besides the case.</summary>
internal sealed record HandshakeObservations
{
    /// <summary>The status code of the peer's response (testing a server); null when no complete response head arrived.</summary>
    public int? Status { get; init; }

    /// <summary>The response's header fields as received, in order (testing a server).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];

    /// <summary>Why there is no usable response: the server closed, timed out, or sent something that is not an HTTP head.</summary>
    public string? NoResponse { get; init; }

    /// <summary>The server answered before the request was complete: how much of it had been written.</summary>
    public string? AnsweredEarly { get; init; }

    /// <summary>Why a 101 does not establish the connection (RFC 6455 §4.1, items 1–6, and §11.3.4), in words.</summary>
    public string? InvalidUpgrade { get; init; }

    /// <summary>Testing a client: what the client did after the response (echoed, closed, sent a close frame, nothing).</summary>
    public ClientReaction? Client { get; init; }
}

/// <summary>How a client reacted to a response it had to refuse.</summary>
/// <param name="WentOn">It sent a data frame (the echo of the tester's message): it used the connection.</param>
/// <param name="Closed">It closed the TCP connection, or sent a close frame.</param>
/// <param name="Words">What it did, for the reason.</param>
internal sealed record ClientReaction(bool WentOn, bool Closed, string Words);
