using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>
/// What a conformant peer must do with a script: the events in order up to the first violation
/// (strict), the less strict outcomes the RFC allows, and how the connection must end.
/// </summary>
public sealed record Prediction
{
    public required IReadOnlyList<Event> Events { get; init; }

    public IReadOnlyList<IReadOnlyList<Event>> NonStrict { get; init; } = [];

    public required ExpectedClose Close { get; init; }

    public ViolationClass Violation { get; init; }

    /// <summary>The index of the action holding the first violation, or -1.</summary>
    public int ViolationAt { get; init; } = -1;

    /// <summary>The index of the tester's close action, or -1 when the script ends without one.</summary>
    public int CloseAt { get; init; } = -1;

    /// <summary>Echoes the peer must send before the tester's close or the violation (the tester waits for them).</summary>
    public int EchoesBeforeClose { get; init; }

    public ToleratedRefusal? Refusal { get; init; }

    /// <summary>The script ends (or the tester closes) inside a text message already made invalid: a peer that checks text when its message ends never reaches that check.</summary>
    public bool InvalidTextUnfinished { get; init; }

    public long LargestMessage { get; init; }

    public IReadOnlyList<CoverageCell> Coverage { get; init; } = [];

    public bool IsValid => Violation == ViolationClass.None;

    public string Describe()
    {
        string events = Events.Count == 0 ? "no message and no pong" : string.Join("; ", Events.Select(e => e.Describe()));
        string what = IsValid
            ? $"Every message echoed and every ping answered, in order (§5.5.3: at least the latest ping of a burst): {events}."
            : $"Up to the violation ({Violations.Rule(Violation)}): {events}; then the peer fails the connection.";
        return what + " " + Close.Describe() + "."
            + (NonStrict.Count > 0 ? " Failing the invalid text at the end of its message (answering the pings before it) is NON-STRICT." : "")
            + (InvalidTextUnfinished ? " The invalid text message never ends: not failing it and answering the tester's close is NON-STRICT." : "")
            + (Refusal is { } r ? $" The peer may also refuse {r.Why}." : "");
    }
}
