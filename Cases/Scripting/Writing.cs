namespace Conformance.Cases.Scripting;

/// <summary>
/// How octets are handed to the socket. The octets never change between modes, only their
/// segmentation: <see cref="Whole"/> lets consecutive frames share writes, <see cref="FramePerWrite"/>
/// gives each frame its own write, <see cref="Chopped"/> writes N-octet pieces one at a time.
/// </summary>
public readonly record struct Writing(WriteMode Mode, int ChopSize = 0)
{
    public static Writing Whole => new(WriteMode.Whole);

    public static Writing FramePerWrite => new(WriteMode.FramePerWrite);

    public static Writing Chop(int octets) => octets > 0 ? new(WriteMode.Chopped, octets) : throw new ArgumentOutOfRangeException(nameof(octets));

    public override string ToString() => Mode switch
    {
        WriteMode.Whole => "whole",
        WriteMode.FramePerWrite => "frame-per-write",
        _ => $"chop={ChopSize}",
    };
}

public enum WriteMode
{
    Whole,
    FramePerWrite,
    Chopped,
}
