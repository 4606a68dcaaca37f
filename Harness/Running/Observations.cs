using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>Everything the runner saw during one case: the judge's only input besides the case.</summary>
internal sealed record Observations
{
    /// <summary>
    /// A case in which no WebSocket connection opened (the opening handshake failed or was refused, on purpose or not,
    /// or the case was never played): what every such case records. The caller adds what it saw (HTTP texts, wire log,
    /// the handshake's details) with <c>with</c>.
    /// </summary>
    public static Observations WithoutConnection(bool testerIsServer, DateTimeOffset started, TimeSpan elapsed, string? error, string notCleanReason, bool openTimeout = false) => new()
    {
        HandshakeCompleted = false,
        HandshakeError = error,
        TesterIsServer = testerIsServer,
        Started = started,
        DurationMs = elapsed.TotalMilliseconds,
        Closing = new CloseDetails { WasOpenHandshakeTimeout = openTimeout, WasNotCleanReason = notCleanReason },
    };

    public bool HandshakeCompleted { get; init; }

    public string? HandshakeError { get; init; }

    public bool TesterIsServer { get; init; }

    public IReadOnlyList<Event> Events { get; init; } = [];

    /// <summary>More events arrived than the runner keeps; the list cannot match any expectation.</summary>
    public bool EventsTruncated { get; init; }

    public CloseDetails Closing { get; init; } = new();

    /// <summary>A protocol violation by the peer that made the tester fail the connection.</summary>
    public string? PeerViolation { get; init; }

    /// <summary>The peer's close frame broke a rule (code, reason or length), so the tester failed the connection on it.</summary>
    public bool PeerCloseInvalid { get; init; }

    /// <summary>Category 9: how many replies matched, and the first that did not.</summary>
    public int EchoesMatched { get; init; }

    public string? EchoMismatch { get; init; }

    /// <summary>The label of the case timer that closed the connection (K or C), if one did.</summary>
    public string? TimerFired { get; init; }

    public IReadOnlyDictionary<int, int> TxFrames { get; init; } = new Dictionary<int, int>();

    public IReadOnlyDictionary<int, int> RxFrames { get; init; } = new Dictionary<int, int>();

    /// <summary>The masking key of every masked frame the peer sent (a client's), in order.</summary>
    public IReadOnlyList<uint> PeerMaskKeys { get; init; } = [];

    public long RxOctets { get; init; }

    public long TxOctets { get; init; }

    public string HttpRequest { get; init; } = "";

    public string HttpResponse { get; init; } = "";

    public IReadOnlyList<WireEntry> WireLog { get; init; } = [];

    public DateTimeOffset Started { get; init; }

    public double DurationMs { get; init; }

    /// <summary>
    /// A tester bug: a data frame reached the frame sender after the tester's own close without the
    /// check every sender makes first (RFC 6455 §5.5.1). It was not written; tests fail on it.
    /// </summary>
    public string? TesterDataAfterClose { get; init; }

    /// <summary>permessage-deflate: negotiation, findings and ratios (compression cases only).</summary>
    public DeflateObservations? Deflate { get; init; }

    /// <summary>Category 15: the scripted opening handshake and how the peer answered it.</summary>
    public Handshake.HandshakeObservations? Handshake { get; init; }
}
