using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// Categories 12/13 (spec §1.11): each echo must equal the message just sent in type, length and
/// content. The content is compared as the octets arrive; the first mismatch closes at once, and so
/// does the last good echo.
/// </summary>
internal sealed class DataSetEchoMonitor(ExpectDataSetEchoes rule) : BehaviorMonitor
{
    private int _matched;
    private string? _mismatch;

    // The message whose echo is awaited, and how the echo compares so far.
    private byte[]? _expectedEcho;
    private int _expectedLength;
    private bool _expectedBinary;
    private int _expectedNumber;
    private long _compared;
    private long _firstDifference = -1;

    public override int EchoesMatched => _matched;

    public override string? EchoMismatch => _mismatch;

    /// <summary>The round-trip player sent message <paramref name="number"/>: its echo is awaited.</summary>
    public void Expect(byte[] message, int length, bool isBinary, int number)
    {
        _expectedEcho = message;
        _expectedLength = length;
        _expectedBinary = isBinary;
        _expectedNumber = number;
        _compared = 0;
        _firstDifference = -1;
    }

    public override void OnMessageOctets(ReadOnlySpan<byte> octets)
    {
        if (_expectedEcho is not { } expected || _firstDifference >= 0)
        {
            _compared += octets.Length;
            return;
        }

        int available = (int)Math.Max(0, Math.Min(octets.Length, _expectedLength - _compared));
        int common = octets[..available].CommonPrefixLength(expected.AsSpan((int)_compared, available));
        if (common < octets.Length)
        {
            _firstDifference = _compared + common;
        }

        _compared += octets.Length;
    }

    public override AutoClose? OnEvent(IReadOnlyList<Event> recorded, Event @event)
    {
        if (@event is not MessageEvent message || _mismatch is not null)
        {
            return null;
        }

        var expected = _expectedEcho;
        _expectedEcho = null;
        if (expected is null || _matched >= rule.Count)
        {
            _mismatch = $"an unexpected message arrived ({(message.IsBinary ? "binary" : "text")}, {message.Payload.Length} octets) while no echo was awaited";
        }
        else if (message.IsBinary != _expectedBinary || message.Payload.Length != _expectedLength || _firstDifference >= 0)
        {
            string unit = rule.Data.IsText ? "code points" : "octets";
            string what = message.IsBinary != _expectedBinary
                ? $"a {(message.IsBinary ? "binary" : "text")} message; expected {(_expectedBinary ? "binary" : "text")}"
                : message.Payload.Length != _expectedLength
                    ? $"{message.Payload.Length} octets; expected {_expectedLength} octets ({rule.Units} {unit})"
                    : $"the right length, but its octets differ from the message sent from octet {_firstDifference} on";
            _mismatch = $"echo {_expectedNumber} of {rule.Count} was {what}";
        }
        else
        {
            _matched++;
            return _matched == rule.Count ? new AutoClose($"all {rule.Count} echoes equal the messages sent: closing") : null;
        }

        return new AutoClose(_mismatch + ": closing");
    }

    public override (Behavior, string) Judge(Observations seen)
    {
        string unit = rule.Data.IsText ? "code points of text" : "octets of binary";
        if (seen.EchoMismatch is { } mismatch)
        {
            return (Behavior.Failed, mismatch);
        }

        if (seen.EchoesMatched == rule.Count)
        {
            return (Behavior.Ok, $"all {rule.Count} echoes of {rule.Units} {unit} from '{rule.Data.Key}' equal the messages sent");
        }

        string when = seen.TimerFired is { } timer ? $" before {timer} fired" : seen.PeerViolation is { } v ? $" before the tester failed the connection ({v})" : " before the connection ended";
        return (Behavior.Failed, $"received {seen.EchoesMatched} of {rule.Count} echoes{when}");
    }
}
