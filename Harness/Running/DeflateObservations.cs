using Conformance.Cases.Protocol;

namespace Conformance.Harness.Running;

/// <summary>What the runner saw of permessage-deflate in one case (RFC 7692).</summary>
internal sealed record DeflateObservations
{
    /// <summary>The negotiation in words: what was offered and what the peer answered.</summary>
    public string Negotiation { get; init; } = "";

    public DeflateAgreement? Agreement { get; init; }

    /// <summary>Why the case could not test what it is about (nothing agreed, or not what it needs): UNIMPLEMENTED.</summary>
    public string? Unimplemented { get; init; }

    /// <summary>This machine cannot compress (no usable zlib): the case fails with that reason, not the peer's fault.</summary>
    public string? Unavailable { get; init; }

    /// <summary>A rule the peer's compressed data broke (window, context), found by the DEFLATE inspector: FAILED.</summary>
    public string? PeerViolation { get; init; }

    /// <summary>The peer's handshake response broke RFC 7692 §5/§7, so the tester failed the connection at once.</summary>
    public string? IllegalResponse { get; init; }

    /// <summary>The illegal response is a well-formed acceptance of an offer the server had to decline.</summary>
    public bool AcceptedInvalidOffer { get; init; }

    /// <summary>The server answered the opening handshake with this HTTP error status instead of declining an invalid offer.</summary>
    public int? RefusedWithStatus { get; init; }

    /// <summary>The server's acceptance left out a parameter it must repeat; the case was played on what the response means.</summary>
    public OmittedParameter? OmittedRepeat { get; init; }

    /// <summary>Compression ratios (WebSocket-level ÷ application-level octets) both ways, in words.</summary>
    public string? Statistics { get; init; }
}
