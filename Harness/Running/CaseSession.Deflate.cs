using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Wire;
using Conformance.Harness.Wire.Deflate;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// permessage-deflate (RFC 7692) in a session, for either role: the agreement decides how the
/// tester compresses what it sends and how it decompresses what it receives. Compressed messages
/// are inflated as their frames arrive and the octets go through the same checks as any message
/// (UTF-8, hashing, comparing). Categories 12/13 compare each echo with the message just sent.
/// </summary>
internal sealed partial class CaseSession : IInflateSink
{
    private DeflateAgreement? _agreement;
    private string _negotiation = "";
    private DeflateDirection? _testerSends;
    private DeflateDirection? _peerSends;
    private RawDeflater? _deflater;
    private RawInflater? _inflater;
    private string? _deflateUnimplemented;
    private string? _deflateUnavailable;
    private string? _deflatePeerViolation;

    // The compressed message being received.
    private bool _messageCompressed;
    private byte[]? _inspected;
    private int _inspectedLength;
    private long _peerHistory;
    private int _compressedMessagesIn;

    // Traffic, for the compression ratios: application-level and WebSocket-level payload octets.
    private long _appOut;
    private long _wsOut;
    private long _appIn;
    private long _wsIn;

    // Categories 12/13: the message whose echo is awaited, and how the echo compares so far.
    private byte[]? _expectedEcho;
    private int _expectedLength;
    private bool _expectedBinary;
    private int _expectedNumber;
    private long _compared;
    private long _firstDifference = -1;

    /// <summary>
    /// Sets up compression from the negotiation, before <see cref="RunAsync"/>. <paramref name="agreement"/>
    /// is null when nothing was agreed (then RSV1 from the peer is a protocol error, RFC 6455 §5.2).
    /// </summary>
    /// <param name="unavailable">Why this machine cannot compress at all (no zlib): the case fails with that reason.</param>
    public void UseDeflate(DeflateAgreement? agreement, string negotiation, string? unavailable = null)
    {
        _agreement = agreement;
        _negotiation = negotiation;
        _deflateUnavailable = unavailable;
        if (agreement is null)
        {
            return;
        }

        _testerSends = agreement.TesterSends(_testerIsServer);
        _peerSends = agreement.PeerSends(_testerIsServer);
        _deflater = new RawDeflater(_testerSends.WindowBits);
        _inflater = new RawInflater(_peerSends.WindowBits);
    }

    private bool DeflateAgreed => _agreement is not null;

    private DeflateObservations? DeflateObservations() => _case.Deflate is null ? null : new DeflateObservations
    {
        Negotiation = _negotiation,
        Agreement = _agreement,
        Unimplemented = _deflateUnavailable is null ? _deflateUnimplemented : null,
        Unavailable = _deflateUnavailable,
        PeerViolation = _deflatePeerViolation,
        Statistics = _agreement is null ? null : $"compression ratio out (tester) {Ratio(_wsOut, _appOut)}, in (peer) {Ratio(_wsIn, _appIn)}",
    };

    private static string Ratio(long ws, long app) => app == 0 ? "-" : (ws / (double)app).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    private void DisposeDeflate()
    {
        _deflater?.Dispose();
        _inflater?.Dispose();
    }

    /// <summary>
    /// Before the script: a case that needs the extension (or a form of it) that was not agreed ends at
    /// once with a close, UNIMPLEMENTED (Autobahn's 12/13 rule). True when the script should not run.
    /// </summary>
    private bool SkipScriptWithoutDeflate()
    {
        if (_case.Deflate is not { } setup)
        {
            return false;
        }

        string? why = null;
        if (_deflateUnavailable is not null)
        {
            why = $"this machine cannot test permessage-deflate: {_deflateUnavailable}";
        }
        else if (_agreement is null && setup.WithoutAgreement == WithoutDeflate.Unimplemented)
        {
            why = $"permessage-deflate was not agreed ({_negotiation})";
        }
        else if (_agreement is not null && setup.TesterKeepsContext && _testerSends!.NoContextTakeover)
        {
            why = $"the peer asked the tester not to keep its compression context ('{_agreement.Response}'), so a compressor that keeps it cannot be tested";
        }

        if (why is null)
        {
            return false;
        }

        lock (_gate)
        {
            _deflateUnimplemented = why;
            _log.Note(WireDirection.Local, $"{why}: closing ({(_deflateUnavailable is null ? "UNIMPLEMENTED" : "FAILED")})");
            StartClosing(CloseCodes.Normal, []);
        }

        return true;
    }

    /// <summary>Plays the compression steps; false for a step that is not one of them.</summary>
    private async Task<bool> TryPlayDeflateStepAsync(Step step)
    {
        switch (step)
        {
            case SendCompressed send:
                if (_deflater is null)
                {
                    // Nothing agreed (a case that plays anyway): the message goes uncompressed, RSV1 clear.
                    Enqueue(new Outgoing.MessageItem(new SendMessage(send.Opcode, send.Message, send.FragmentSize)));
                    return true;
                }

                var message = send.Message.ToArray();
                byte[] payload = _deflater.Compress(message);
                if (_testerSends!.NoContextTakeover)
                {
                    _deflater.Reset();
                }

                EnqueueCompressed(send.Opcode, message.Length, Payload.Of(payload), send.FragmentSize);
                return true;
            case SendDataSetRoundTrips roundTrips:
                await PlayRoundTripsAsync(roundTrips).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// One message at a time: the next is made only after the echo of the previous one was checked, by which
    /// time its frames have left too, so the message and its payload live in two buffers reused throughout.
    /// </summary>
    private async Task PlayRoundTripsAsync(SendDataSetRoundTrips step)
    {
        byte opcode = step.Data.IsText ? Opcode.Text : Opcode.Binary;
        byte[]? message = null;
        byte[]? payload = null;
        for (int i = 0; i < step.Count; i++)
        {
            lock (_gate)
            {
                if (_state != SessionState.Open || _stop.IsCancellationRequested)
                {
                    return;
                }

                int length = step.Data.Message(step.Units, i, ref message);
                _expectedEcho = message;
                _expectedLength = length;
                _expectedBinary = !step.Data.IsText;
                _expectedNumber = i + 1;
                _compared = 0;
                _firstDifference = -1;
            }

            int payloadLength = DataSetCompressor.Compress(step.Data, step.Units, i, _deflater!, ref payload);
            EnqueueCompressed(opcode, _expectedLength, Payload.Of(payload!).Slice(0, payloadLength), step.FragmentSize);
            await AwaitMessageAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Queues a compressed message: RSV1 on the first frame only, cut as <see cref="SendMessage.Frames"/> cuts (spec §0.3).</summary>
    private void EnqueueCompressed(byte opcode, long appLength, Payload payload, int fragmentSize)
    {
        Interlocked.Add(ref _appOut, appLength);
        Interlocked.Add(ref _wsOut, payload.Length);
        bool first = true;
        foreach (var frame in new SendMessage(opcode, payload, fragmentSize).Frames())
        {
            Enqueue(new Outgoing.FrameItem(first ? frame with { Rsv = 4 } : frame, Writing.Whole));
            first = false;
        }
    }

    // Receiving ---------------------------------------------------------------------------------------

    /// <summary>A data frame starts a message: it is compressed when RSV1 is set and the extension was agreed (RFC 7692 §6).</summary>
    private void BeginMessageCompression(in FrameHeader header)
    {
        _messageCompressed = DeflateAgreed && (header.Rsv & 0x4) != 0;
        if (_messageCompressed && _case.Deflate is { InspectPeer: true })
        {
            _inspected ??= new byte[16 * 1024];
            _inspectedLength = 0;
        }
    }

    /// <summary>Compressed payload octets: inflated at once; the output goes on as message octets.</summary>
    private void InflatePayload(ReadOnlySpan<byte> payload)
    {
        _wsIn += payload.Length;
        if (_inspected is not null && _case.Deflate is { InspectPeer: true })
        {
            if (_inspectedLength + payload.Length > _inspected.Length)
            {
                Array.Resize(ref _inspected, Math.Max(2 * _inspected.Length, _inspectedLength + payload.Length));
            }

            payload.CopyTo(_inspected.AsSpan(_inspectedLength));
            _inspectedLength += payload.Length;
        }

        if (_inflater!.Feed(payload, this) is { } error)
        {
            InvalidCompressedData(error);
        }
    }

    private void CountUncompressed(int octets)
    {
        if (DeflateAgreed)
        {
            _appIn += octets;
            _wsIn += octets;
        }
    }

    void IInflateSink.OnInflated(ReadOnlySpan<byte> octets)
    {
        _appIn += octets.Length;
        AcceptMessageOctets(octets);
    }

    /// <summary>The end of a compressed message (RFC 7692 §7.2.2): the appended 00 00 ff ff, then the inspector. False when the data was invalid.</summary>
    private bool EndCompressedMessage()
    {
        _compressedMessagesIn++;
        if (_inflater!.EndMessage(this, resetContext: _peerSends!.NoContextTakeover) is { } error)
        {
            InvalidCompressedData(error);
            return false;
        }

        if (_discardFrame)
        {
            return false;
        }

        if (_inspected is not null && _case.Deflate is { InspectPeer: true })
        {
            long history = _peerSends.NoContextTakeover ? 0 : _peerHistory;
            var found = DeflateInspector.Inspect(_inspected.AsSpan(0, _inspectedLength), _peerSends.WindowBits, history, _peerSends.NoContextTakeover);
            if (found.Problem is { } problem && _deflatePeerViolation is null)
            {
                _deflatePeerViolation = $"compressed message {_compressedMessagesIn} from the peer: {problem}";
                _log.Note(WireDirection.Local, _deflatePeerViolation);
            }

            _peerHistory += found.Produced;
        }

        return true;
    }

    private void InvalidCompressedData(string error)
    {
        // zlib says only "invalid distance too far back"; the inspector says which rule the peer broke.
        if (_inspected is not null && _case.Deflate is { InspectPeer: true } && _deflatePeerViolation is null)
        {
            long history = _peerSends!.NoContextTakeover ? 0 : _peerHistory;
            if (DeflateInspector.Inspect(_inspected.AsSpan(0, _inspectedLength), _peerSends.WindowBits, history, _peerSends.NoContextTakeover).Problem is { } problem
                && !problem.StartsWith("the DEFLATE data ends", StringComparison.Ordinal))
            {
                _deflatePeerViolation = $"compressed message {_compressedMessagesIn + 1} from the peer: {problem}";
                _log.Note(WireDirection.Local, _deflatePeerViolation);
            }
        }

        _discardFrame = true;
        _messageOpen = false;
        PeerViolated(new Violation(CloseCodes.InvalidPayload, $"the peer's compressed message cannot be decompressed: {error} (RFC 7692 §7.2.2)"));
    }

    // Categories 12/13: the echo against the message sent ----------------------------------------------

    private void CompareEchoOctets(ReadOnlySpan<byte> octets)
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

    private void CheckDataSetEcho(ExpectDataSetEchoes expect, MessageEvent message)
    {
        if (_echoMismatch is not null)
        {
            return;
        }

        var expected = _expectedEcho;
        _expectedEcho = null;
        if (expected is null || _echoesMatched >= expect.Count)
        {
            _echoMismatch = $"an unexpected message arrived ({(message.IsBinary ? "binary" : "text")}, {message.Payload.Length} octets) while no echo was awaited";
        }
        else if (message.IsBinary != _expectedBinary || message.Payload.Length != _expectedLength || _firstDifference >= 0)
        {
            string unit = expect.Data.IsText ? "code points" : "octets";
            string what = message.IsBinary != _expectedBinary
                ? $"a {(message.IsBinary ? "binary" : "text")} message; expected {(_expectedBinary ? "binary" : "text")}"
                : message.Payload.Length != _expectedLength
                    ? $"{message.Payload.Length} octets; expected {_expectedLength} octets ({expect.Units} {unit})"
                    : $"the right length, but its octets differ from the message sent from octet {_firstDifference} on";
            _echoMismatch = $"echo {_expectedNumber} of {expect.Count} was {what}";
        }
        else
        {
            _echoesMatched++;
            if (_echoesMatched == expect.Count)
            {
                _log.Note(WireDirection.Local, $"all {expect.Count} echoes equal the messages sent: closing");
                StartClosing(CloseCodes.Normal, []);
            }

            return;
        }

        _log.Note(WireDirection.Local, _echoMismatch + ": closing");
        StartClosing(CloseCodes.Normal, []);
    }
}
