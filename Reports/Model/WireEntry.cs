namespace Conformance.Reports.Model;

public enum WireDirection
{
    /// <summary>Sent by the harness.</summary>
    Tx,
    /// <summary>Received from the target.</summary>
    Rx,
    /// <summary>Something that happened at the harness: a timer, a decision, the TCP connection ending.</summary>
    Local,
}

/// <summary>One line of the wire log: a frame either way, or a note, with its time offset from the start of the case.</summary>
public sealed record WireEntry(double TimeMs, WireDirection Direction, WireFrame? Frame, string? Note)
{
    public static WireEntry ForNote(double timeMs, WireDirection direction, string note) => new(timeMs, direction, null, note);
}

/// <summary>A frame's header fields, an excerpt of its payload and its first raw octets (hex).</summary>
public sealed record WireFrame
{
    public required int Opcode { get; init; }

    public required string OpcodeName { get; init; }

    public required bool Fin { get; init; }

    public required int Rsv { get; init; }

    public required bool Masked { get; init; }

    public string? MaskKey { get; init; }

    public required long PayloadLength { get; init; }

    /// <summary>The payload excerpt as text when it is valid UTF-8, otherwise null.</summary>
    public string? PayloadText { get; init; }

    /// <summary>The (unmasked) payload excerpt in hex.</summary>
    public required string PayloadHex { get; init; }

    /// <summary>True when the excerpt is shorter than the payload.</summary>
    public bool PayloadCut { get; init; }

    /// <summary>The frame's raw octets as they crossed the wire (header and masked payload), cut like the excerpt.</summary>
    public required string RawHex { get; init; }

    /// <summary>How the frame was written (sent frames only): whole, frame-per-write or chop=N.</summary>
    public string? Writing { get; init; }
}
