using Conformance.Cases.Data;
using Conformance.Cases.Protocol;

namespace Conformance.Cases.Scripting;

/// <summary>What a case means when no permessage-deflate was agreed.</summary>
public enum WithoutDeflate
{
    /// <summary>Autobahn's 12/13 rule: the tester closes at once and the behaviour is UNIMPLEMENTED (the close is judged as the tester's).</summary>
    Unimplemented,

    /// <summary>No agreement is a legal outcome (the tester made offers a server must decline); the script runs as written.</summary>
    PlayAnyway,
}

/// <summary>What the tester (as client) does with a server's acceptance that leaves out a parameter it must repeat (RFC 7692 §7.1.1.1, §7.1.2.1).</summary>
public enum OmittedRepeat
{
    /// <summary>Fail the connection: the response accepts no offer.</summary>
    Fail,

    /// <summary>Play the case on what the response means (categories 12/13: Autobahn's verdicts); the reason names the rule.</summary>
    Play,

    /// <summary>Play it, and judge the rule (category 14.6): FAILED, or NON-STRICT when the value left out is the default 15.</summary>
    Judge,
}

/// <summary>
/// The permessage-deflate negotiation of a case, written once for both roles: what the tester
/// offers when it is the client (testing a server), and how it answers when it is the server
/// (testing a client). The peer's answer is checked by <see cref="PerMessageDeflate"/>.
/// </summary>
public sealed record DeflateSetup
{
    /// <summary>The offers, in order, sent in one <c>Sec-WebSocket-Extensions</c> header; they may be deliberately invalid. Empty: no header.</summary>
    public required IReadOnlyList<string> Offers { get; init; }

    /// <summary>How the tester answers a client's offers. Null when the case only makes sense against a server (its point is the offer).</summary>
    public AcceptRule? Accept { get; init; }

    public WithoutDeflate WithoutAgreement { get; init; } = WithoutDeflate.Unimplemented;

    /// <summary>
    /// Check every compressed message from the peer with the DEFLATE inspector: back-reference distances
    /// within the agreed window (RFC 7692 §7.1.2), none before the message start when the peer agreed to
    /// no context takeover (§7.1.1). A violation fails the case.
    /// </summary>
    public bool InspectPeer { get; init; }

    /// <summary>
    /// The case needs the tester to compress with context takeover (referring to earlier messages). When the
    /// peer asked for <c>*_no_context_takeover</c> for the tester's direction, there is nothing to test: UNIMPLEMENTED.
    /// </summary>
    public bool TesterKeepsContext { get; init; }

    /// <summary>
    /// As client, the tester keeps the promises its offers make even when the response leaves them out (RFC 7692
    /// §7.1.1.2, §7.1.2.2): no context takeover when it offered <c>client_no_context_takeover</c>, a window no larger
    /// than an offered <c>client_max_window_bits</c> value (the fuzzer's offers; the catalogue plays Autobahn's way).
    /// </summary>
    public bool KeepsOfferHints { get; init; }

    /// <summary>
    /// Why a server that accepts one of the (invalid) offers is only NON-STRICT rather than FAILED, when the
    /// RFC is not clear-cut about the value (e.g. its prose forbids leading zeros while its ABNF allows them).
    /// </summary>
    public string? AcceptingIsNonStrict { get; init; }

    /// <summary>What a response that leaves out a parameter the server must repeat comes to.</summary>
    public OmittedRepeat OmittedRepeat { get; init; }

    /// <summary>The header value the tester sends as a client, or null for none.</summary>
    public string? OfferHeader => Offers.Count == 0 ? null : string.Join(", ", Offers);

    public bool AppliesWhenTesterIsServer => Accept is not null;

    public string Describe() =>
        $"deflate offers=[{string.Join(" | ", Offers)}] accept={Accept?.ToString() ?? "(servers only)"} without-agreement={WithoutAgreement}" +
        (InspectPeer ? " inspect-peer" : "") + (TesterKeepsContext ? " tester-keeps-context" : "") + (KeepsOfferHints ? " keeps-offer-hints" : "") +
        (AcceptingIsNonStrict is { } lenient ? $" accepting-is-non-strict ({lenient})" : "") +
        (OmittedRepeat == OmittedRepeat.Fail ? "" : $" omitted-repeat={OmittedRepeat}");

    /// <summary>Autobahn's 13.1 (and all of 12): offer <c>client_no_context_takeover; client_max_window_bits</c>, accept anything.</summary>
    public static DeflateSetup Default { get; } = new()
    {
        Offers = [$"{PerMessageDeflate.Name}; {PerMessageDeflate.ClientNoContextTakeover}; {PerMessageDeflate.ClientMaxWindowBits}"],
        Accept = AcceptRule.Any,
    };
}

/// <summary>
/// Send a data message through the tester's compressor (RFC 7692 §7.2.1): RSV1 on the first frame; the
/// compressed payload fragmented by <see cref="FragmentSize"/> with the rule of <see cref="SendMessage"/>.
/// </summary>
public sealed record SendCompressed(byte Opcode, Payload Message, int FragmentSize = 0) : Step
{
    public override string Describe() => $"send compressed {Protocol.Opcode.Name(Opcode)} len={Message.Length} fragment={FragmentSize} payload={Message.Describe()}";
}

/// <summary>
/// Categories 12/13: <see cref="Count"/> messages of <see cref="Units"/> units from a sliding, circular
/// window over <see cref="Data"/>, each compressed and sent only after the echo of the previous one
/// arrived. Text data sets go as text messages cut in code points, binary ones as binary messages.
/// </summary>
public sealed record SendDataSetRoundTrips(DataSet Data, int Units, int Count, int FragmentSize) : Step
{
    public override string Describe() => $"send {Count} compressed messages of {Units} {(Data.IsText ? "code points" : "octets")} from data set {Data.Describe()}, one per echo, fragment={FragmentSize}";
}

/// <summary>
/// Categories 12/13: every echo must equal the message just sent: same type, same length, same octets.
/// The first mismatch fails the case and the tester closes at once; all good: OK.
/// </summary>
public sealed record ExpectDataSetEchoes(DataSet Data, int Units, int Count) : BehaviorRule
{
    public override string Describe() => ToString();

    public override string ToString() => $"{Count} echo(es) equal to the messages sent ({Units} {(Data.IsText ? "code points of text" : "octets of binary")} from {Data.Key}): type, length and content";
}
