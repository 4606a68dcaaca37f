namespace Conformance.Cases.Scripting;

/// <summary>
/// The behaviour rule of generated cases: the events a conformant peer must produce, matched with
/// the latitude RFC 6455 gives, which a fixed list cannot express:
/// <list type="bullet">
/// <item>§5.5.3: a peer that has not yet answered earlier pings MAY answer only the most recent one, so
/// pongs may be missing as long as the last expected pong arrives, and those that arrive keep their order;</item>
/// <item>pongs are sent by the protocol layer, echoes by the application, and the RFC orders neither
/// against the other: the two streams may interleave, each in its own order;</item>
/// <item>NON-STRICT: a peer that fails invalid fragmented text at the end of the message rather than at
/// once (as in 6.4.x) answers the pings between; each list in <see cref="NonStrictOutcomes"/> is such an outcome.</item>
/// </list>
/// The tester never closes on its own when the events are in: generated scripts end with their own close.
/// </summary>
public sealed record ExpectEventsWithLatitude(IReadOnlyList<Event> Ok) : BehaviorRule
{
    /// <summary>Outcomes that are acceptable but less strict than <see cref="Ok"/>.</summary>
    public IReadOnlyList<IReadOnlyList<Event>> NonStrictOutcomes { get; init; } = [];

    /// <summary>Points where the peer may fail the connection although it need not (e.g. non-minimal lengths, §5.2).</summary>
    public ToleratedRefusal? Refusal { get; init; }

    /// <summary>The largest data message of the script: a peer may refuse it as too big (1009, or 1008, §10.4).</summary>
    public long LargestMessage { get; init; }

    /// <summary>
    /// When set, the script ends (or the tester closes) inside a text message already made invalid: a peer that
    /// checks text when its message ends (NON-STRICT, as in 6.4.x) never reaches that check, so not failing it and
    /// answering the tester's close is NON-STRICT, for this reason.
    /// </summary>
    public string? UnfinishedInvalidText { get; init; }

    /// <summary>When set, a peer that neither fails nor answers (it waits) is reported as INFORMATIONAL, for this reason.</summary>
    public string? WaitingTolerated { get; init; }

    public override string Describe() =>
        "OK (with RFC 6455 latitude)=[" + string.Join("; ", Ok.Select(x => x.Describe())) + "]" +
        string.Concat(NonStrictOutcomes.Select(ns => " NON-STRICT=[" + string.Join("; ", ns.Select(x => x.Describe())) + "]")) +
        (Refusal is { } r ? $" or refused at {r.Why} with [{string.Join(", ", r.Codes)}]" : "");

    public override Dictionary<string, IReadOnlyList<string>> ExpectedTexts()
    {
        var texts = new Dictionary<string, IReadOnlyList<string>> { ["OK"] = Ok.Select(e => e.Describe()).ToArray() };
        if (NonStrictOutcomes.Count > 0)
        {
            texts["NON-STRICT"] = NonStrictOutcomes.Select(ns => string.Join("; ", ns.Select(e => e.Describe()))).ToArray();
        }

        return texts;
    }
}

/// <summary>The peer may fail with one of <paramref name="Codes"/> at any of several points, each given by the events before it.</summary>
public sealed record ToleratedRefusal(IReadOnlyList<IReadOnlyList<Event>> EventsBefore, IReadOnlyList<int> Codes, string Why);

/// <summary>Matching received events against an expected list with the latitude of <see cref="ExpectEventsWithLatitude"/>.</summary>
public static class LatitudeMatch
{
    /// <summary>Null when <paramref name="received"/> is acceptable for <paramref name="expected"/>; otherwise the first problem, in words.</summary>
    public static string? Mismatch(IReadOnlyList<Event> expected, IReadOnlyList<Event> received)
    {
        var messages = expected.Where(e => e is not PongEvent).ToArray();
        var pongs = expected.OfType<PongEvent>().ToArray();
        int nextMessage = 0;
        int nextPong = 0;
        for (int i = 0; i < received.Count; i++)
        {
            var e = received[i];
            if (e is PongEvent pong)
            {
                // Greedy earliest match: a subsequence exists iff this finds one (§5.5.3 skips).
                int at = Array.FindIndex(pongs, nextPong, p => p.Equals(pong));
                if (at < 0)
                {
                    return $"event {i + 1} ({e.Describe()}) answers no ping still waiting for its pong";
                }

                nextPong = at + 1;
                continue;
            }

            if (nextMessage >= messages.Length)
            {
                return $"unexpected event {i + 1}: {e.Describe()}";
            }

            if (!messages[nextMessage].Equals(e))
            {
                return $"event {i + 1} differs: expected {messages[nextMessage].Describe()}, received {e.Describe()}";
            }

            nextMessage++;
        }

        if (nextMessage < messages.Length)
        {
            return $"missing: {messages[nextMessage].Describe()}";
        }

        if (pongs.Length > 0 && nextPong < pongs.Length)
        {
            return $"missing: {pongs[^1].Describe()} (the last ping must be answered, RFC 6455 §5.5.2/§5.5.3)";
        }

        return null;
    }
}
