using System.Diagnostics;
using System.Text;
using Conformance.Cases.Protocol;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// Keeps the wire log of one case: frames both ways and notes, each with its time offset. Bounded:
/// after <see cref="MaxEntries"/> entries only notes and close frames are kept (they explain how the
/// case ended), and a count of what was left out.
/// </summary>
internal sealed class WireRecorder(Stopwatch clock, bool verbose, Action<string>? echo)
{
    public const int MaxEntries = 400;
    public const int ExcerptOctets = 64;
    private const int MaxExtraNotes = 200;

    private readonly List<WireEntry> _entries = [];
    private int _omitted;

    public IReadOnlyList<WireEntry> Snapshot()
    {
        lock (_entries)
        {
            var copy = new List<WireEntry>(_entries);
            if (_omitted > 0)
            {
                copy.Add(WireEntry.ForNote(Now, WireDirection.Local, $"wire log cut: {_omitted} more entries not kept"));
            }

            return copy;
        }
    }

    public double Now => clock.Elapsed.TotalMilliseconds;

    /// <summary>Whether a frame with this opcode would still be kept (checked before the entry is built).</summary>
    public bool Keeps(byte opcode)
    {
        lock (_entries)
        {
            return _entries.Count < MaxEntries || (opcode == Opcode.Close && _entries.Count < MaxEntries + MaxExtraNotes);
        }
    }

    public void Omit()
    {
        lock (_entries)
        {
            _omitted++;
        }
    }

    public void Note(WireDirection direction, string note) => Add(WireEntry.ForNote(Now, direction, note));

    public void Frame(WireDirection direction, byte opcode, bool fin, int rsv, string? maskKey, long payloadLength,
        ReadOnlySpan<byte> payloadExcerpt, ReadOnlySpan<byte> rawExcerpt, string? writing = null)
    {
        bool cut = payloadLength > payloadExcerpt.Length;
        var frame = new WireFrame
        {
            Opcode = opcode,
            OpcodeName = Opcode.Name(opcode),
            Fin = fin,
            Rsv = rsv,
            Masked = maskKey is not null,
            MaskKey = maskKey,
            PayloadLength = payloadLength,
            PayloadText = TextOf(payloadExcerpt, cut),
            PayloadHex = Convert.ToHexStringLower(payloadExcerpt),
            PayloadCut = cut,
            RawHex = Convert.ToHexStringLower(rawExcerpt),
            Writing = writing,
        };
        Add(new WireEntry(Now, direction, frame, null));
    }

    private void Add(WireEntry entry)
    {
        if (verbose && echo is not null)
        {
            echo(Format(entry));
        }

        lock (_entries)
        {
            // Notes (timers, decisions, how TCP ended) are kept past the cap: they explain the verdict.
            if (_entries.Count < MaxEntries || ((entry.Frame is null || entry.Frame.Opcode == Opcode.Close) && _entries.Count < MaxEntries + MaxExtraNotes))
            {
                _entries.Add(entry);
            }
            else
            {
                _omitted++;
            }
        }
    }

    private static string? TextOf(ReadOnlySpan<byte> excerpt, bool cut)
    {
        var validator = new Utf8Validator();
        bool valid = validator.Feed(excerpt) && (cut || validator.IsAtBoundary);
        return valid ? Encoding.UTF8.GetString(excerpt) : null;
    }

    private static string Format(WireEntry entry)
    {
        string direction = entry.Direction switch { WireDirection.Tx => "TX", WireDirection.Rx => "RX", _ => "--" };
        if (entry.Frame is { } f)
        {
            return $"{entry.TimeMs,9:F1} ms {direction} {f.OpcodeName} fin={(f.Fin ? 1 : 0)} rsv={f.Rsv} masked={(f.Masked ? 1 : 0)} len={f.PayloadLength} {f.PayloadHex}{(f.PayloadCut ? "…" : "")}";
        }

        return $"{entry.TimeMs,9:F1} ms {direction} {entry.Note}";
    }
}
