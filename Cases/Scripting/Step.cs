namespace Conformance.Cases.Scripting;

/// <summary>One instruction of a case script. Steps run in order; timers armed by a step run beside them.</summary>
public abstract record Step
{
    public abstract string Describe();
}

/// <summary>Send one frame exactly as described.</summary>
public sealed record SendFrame(Frame Frame, Writing Writing = default) : Step
{
    public override string Describe() => $"send {Frame.Describe()} [{Writing}]";
}

/// <summary>
/// Send a data message through a "message API" that fragments by <see cref="FragmentSize"/>
/// (0 = one frame). The cut follows Autobahn's rule: when the length is an exact multiple of the
/// fragment size an extra empty final continuation frame ends the message.
/// </summary>
public sealed record SendMessage(byte Opcode, Payload Payload, int FragmentSize = 0, Writing Writing = default) : Step
{
    public override string Describe() => $"send message {Protocol.Opcode.Name(Opcode)} len={Payload.Length} fragment={FragmentSize} payload={Payload.Describe()} [{Writing}]";

    /// <summary>The frames this message becomes (lazy: 4 MiB in 64-octet fragments is 65 537 frames).</summary>
    public IEnumerable<Frame> Frames()
    {
        if (FragmentSize <= 0 || Payload.Length <= FragmentSize)
        {
            yield return new Frame(Opcode, Payload);
            yield break;
        }

        long offset = 0;
        bool first = true;
        while (offset + FragmentSize <= Payload.Length)
        {
            yield return new Frame(first ? Opcode : Protocol.Opcode.Continuation, Payload.Slice(offset, FragmentSize), Fin: false);
            first = false;
            offset += FragmentSize;
        }

        // What is left (possibly nothing) ends the message.
        yield return new Frame(Protocol.Opcode.Continuation, Payload.Slice(offset, Payload.Length - offset), Fin: true);
    }
}

/// <summary>
/// Send one frame whose payload is written in parts with pauses between them (6.4.3/6.4.4): the
/// header goes with the first part; before part k+1 the runner pauses as <see cref="Pauses"/>[k] says.
/// </summary>
public sealed record SendFrameInParts(Frame Frame, IReadOnlyList<int> PartLengths, IReadOnlyList<Pause> Pauses) : Step
{
    public override string Describe() => $"send {Frame.Describe()} in parts [{string.Join(",", PartLengths)}] with pauses [{string.Join(",", Pauses.Select(p => p.Describe()))}]";
}

/// <summary>
/// W(n, tag): wait before the next step. When a tag is given and the connection is still open at
/// the end of the wait, a <see cref="TimeoutEvent"/> with that tag is recorded (6.4.x fail-fast markers).
/// </summary>
public sealed record Pause(TimeSpan Duration, string? Tag = null) : Step
{
    public override string Describe() => Tag is null ? $"pause {Duration.TotalSeconds}s" : $"pause {Duration.TotalSeconds}s then mark '{Tag}'";
}

/// <summary>K(n): if the connection is not closed when it fires, the tester fails it (close 1001, or drop when already closing).</summary>
public sealed record ArmKill(TimeSpan After) : Step
{
    public override string Describe() => $"fail the connection after {After.TotalSeconds}s";
}

/// <summary>C(n): if the tester has not started closing when it fires, it sends a close frame with no payload.</summary>
public sealed record ArmCloseAfter(TimeSpan After) : Step
{
    public override string Describe() => $"close after {After.TotalSeconds}s";
}

/// <summary>The tester starts the closing handshake (RFC 6455 §7.1.2) with an optional code and raw reason octets.</summary>
public sealed record StartClose(ushort? Code = null, Payload? Reason = null) : Step
{
    public override string Describe() => Code is null ? "close (no code)" : $"close {Code}" + (Reason is { Length: > 0 } r ? $" reason={r.Describe()}" : "");
}

/// <summary>Wait until the peer's next data message arrives (or the connection ends). Drives round-trip cases.</summary>
public sealed record AwaitMessage : Step
{
    public override string Describe() => "await the next message";
}

/// <summary>Wait until every frame the tester has queued has been handed to the socket, so that a case timer armed next measures the peer, not the tester's writes.</summary>
public sealed record AwaitWritten : Step
{
    public override string Describe() => "await the tester's writes";
}

/// <summary>The tester starts the closing handshake with a close frame carrying exactly these octets (which may be illegal, e.g. a 1-octet payload).</summary>
public sealed record StartCloseRaw(Payload RawPayload) : Step
{
    public override string Describe() => $"close with raw payload {RawPayload.Describe()}";
}
