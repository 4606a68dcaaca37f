namespace Conformance.Cases.Scripting;

/// <summary>How the connection is expected to end (Autobahn's <c>expectedClose</c>).</summary>
/// <param name="ClosedByTester">True when the tester is expected to start the closing handshake.</param>
/// <param name="Codes">Close codes accepted from the peer; a close without a code, or none at all, is also accepted.</param>
/// <param name="RequireClean">Whether a close frame must have been both sent and received.</param>
/// <param name="WrongEndpointIsFatal">When the wrong side closed, the behaviour verdict is FAILED too.</param>
public sealed record ExpectedClose(bool ClosedByTester, IReadOnlyList<int> Codes, bool RequireClean, bool WrongEndpointIsFatal = false)
{
    /// <summary>Profile A: the tester closes with 1000 and the handshake completes cleanly.</summary>
    public static ExpectedClose TesterCloses { get; } = new(true, [1000], true);

    /// <summary>Profile B: the peer fails the connection (RFC 6455 §7.1.7) with 1002, or drops TCP.</summary>
    public static ExpectedClose PeerFailsProtocolError { get; } = new(false, [1002], false);

    /// <summary>Profile C: the peer fails the connection on invalid UTF-8 (RFC 6455 §8.1) with 1007, or drops TCP.</summary>
    public static ExpectedClose PeerFailsInvalidUtf8 { get; } = new(false, [1007], false, WrongEndpointIsFatal: true);

    public string Describe() =>
        (ClosedByTester ? "the tester closes" : "the peer fails the connection") +
        $", codes [{string.Join(", ", Codes)}]" + (RequireClean ? ", clean close required" : "") +
        (WrongEndpointIsFatal ? ", closing by the wrong side fails the case" : "");
}

/// <summary>
/// How the behaviour verdict is decided. Either the recorded events must equal one of the
/// expected lists (categories 1–7, 10, 11), or every reply is checked as it arrives (category 9).
/// </summary>
public abstract record BehaviorRule
{
    /// <summary>The rule in one line, as the catalogue version hashes it.</summary>
    public abstract string Describe();

    /// <summary>What the report lists as expected, per verdict name.</summary>
    public virtual Dictionary<string, IReadOnlyList<string>> ExpectedTexts() => new() { ["OK"] = [Describe()] };
}

/// <summary>Event-list matching: exact equality with <see cref="Ok"/> gives OK, with <see cref="NonStrict"/> NON-STRICT.</summary>
public sealed record ExpectEvents(IReadOnlyList<Event> Ok, IReadOnlyList<Event>? NonStrict = null) : BehaviorRule
{
    public static ExpectEvents Nothing { get; } = new([]);

    public override string Describe() =>
        "OK=[" + string.Join("; ", Ok.Select(x => x.Describe())) + "]" +
        (NonStrict is { } ns ? " NON-STRICT=[" + string.Join("; ", ns.Select(x => x.Describe())) + "]" : "");

    public override Dictionary<string, IReadOnlyList<string>> ExpectedTexts() => NonStrict is { } ns
        ? new() { ["OK"] = Texts(Ok), ["NON-STRICT"] = Texts(ns) }
        : new() { ["OK"] = Texts(Ok) };

    private static string[] Texts(IReadOnlyList<Event> events) => events.Select(e => e.Describe()).ToArray();
}

/// <summary>
/// 2.10/2.11: one pong per ping, in order, is OK (Autobahn's rule). RFC 6455 §5.5.3 lets an endpoint
/// that has not yet answered earlier pings answer only the most recent one, so pongs for an in-order
/// subset of the pings that ends with the last ping are NON-STRICT; anything else is FAILED.
/// </summary>
public sealed record ExpectPongs(IReadOnlyList<Event> Pongs) : BehaviorRule
{
    public override string Describe() =>
        "OK=[" + string.Join("; ", Pongs.Select(x => x.Describe())) + "] NON-STRICT=an in-order subset ending with the last";

    public override Dictionary<string, IReadOnlyList<string>> ExpectedTexts() => new()
    {
        ["OK"] = Pongs.Select(e => e.Describe()).ToArray(),
        ["NON-STRICT"] = [$"a subset of these pongs, in order, ending with {Pongs[^1].Describe()} (RFC 6455 §5.5.3)"],
    };
}

/// <summary>
/// Category 9: the peer must answer each message with one of the same type and length (content is
/// not compared). The first mismatch fails the case and the tester closes at once.
/// </summary>
public sealed record ExpectEchoes(int Count, bool IsBinary, long Length) : BehaviorRule
{
    public override string Describe() => $"{Count} echo(es) of {(IsBinary ? "binary" : "text")} length {Length}";
}
