using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Conformance.Tests.Broken;

/// <summary>
/// The scripted server's default behaviour: an RFC 6455 echo endpoint. It echoes every data
/// message with the same opcode, answers pings with pongs, answers a close with a close echoing
/// the code and then closes TCP, and fails the connection on protocol errors (1002) and invalid
/// UTF-8 (1007), as early as the stream turns bad. Each <see cref="ScriptedServerOptions"/> flag
/// turns exactly one of these duties off or wrong.
/// </summary>
internal sealed class EchoEndpoint(ScriptedConnection connection, ScriptedServerOptions options)
{
    private const byte Continuation = 0x0;
    private const byte Text = 0x1;
    private const byte Close = 0x8;
    private const byte Ping = 0x9;
    private const byte Pong = 0xA;
    private const ushort ProtocolError = 1002;
    private const ushort InvalidPayload = 1007;

    private long _frames;
    private bool _messageOpen;
    private byte _messageOpcode;
    private byte[] _message = new byte[4096];
    private int _kept;
    private Utf8Stream _utf8 = new();

    public async Task RunAsync()
    {
        if (options.SendsUnsolicitedMessageAtStart)
        {
            await SendAsync(Text, "Hello from the server!"u8.ToArray()).ConfigureAwait(false);
        }

        while (true)
        {
            if (await connection.ReadHeaderAsync().ConfigureAwait(false) is not { } header)
            {
                return; // the peer closed TCP
            }

            if (!await OnFrameAsync(header).ConfigureAwait(false))
            {
                return;
            }

            if (++_frames % 256 == 0)
            {
                await Task.Yield(); // a long run of small frames must not hold a pool thread
            }
        }
    }

    /// <summary>Handles one frame; false when the connection is over.</summary>
    private async Task<bool> OnFrameAsync(WireHeader header)
    {
        if (!header.Masked && !options.AcceptsUnmaskedFrames)
        {
            return await FailAsync(ProtocolError).ConfigureAwait(false); // §5.1
        }

        if (header.Rsv != 0 && !options.AcceptsRsvBits)
        {
            return await FailAsync(ProtocolError).ConfigureAwait(false); // §5.2
        }

        if (header.LengthTopBitSet)
        {
            return await FailAsync(ProtocolError).ConfigureAwait(false); // §5.2
        }

        if (header.IsReservedOpcode)
        {
            return options.AcceptsReservedOpcodes
                ? await connection.SkipPayloadAsync(header).ConfigureAwait(false)
                : await FailAsync(ProtocolError).ConfigureAwait(false); // §5.2
        }

        if (header.IsControl)
        {
            return await OnControlFrameAsync(header).ConfigureAwait(false);
        }

        if (header.Opcode == Continuation && !_messageOpen)
        {
            return options.IgnoresFragmentationErrors
                ? await connection.SkipPayloadAsync(header).ConfigureAwait(false)
                : await FailAsync(ProtocolError).ConfigureAwait(false); // §5.4
        }

        if (header.Opcode != Continuation)
        {
            if (_messageOpen && !options.IgnoresFragmentationErrors)
            {
                return await FailAsync(ProtocolError).ConfigureAwait(false); // §5.4
            }

            _messageOpen = true;
            _messageOpcode = header.Opcode;
            _kept = 0;
            _utf8 = new Utf8Stream();
        }

        bool checkText = _messageOpcode == Text && !options.AcceptsInvalidUtf8;
        for (ulong done = 0; done < header.Length;)
        {
            var chunk = await connection.ReadPayloadAsync(header, done, header.Length - done).ConfigureAwait(false);
            if (chunk.IsEmpty)
            {
                return false;
            }

            done += (ulong)chunk.Length;
            if (checkText && !_utf8.Feed(chunk.Span))
            {
                return await FailAsync(InvalidPayload).ConfigureAwait(false); // §8.1: fail fast
            }

            if (header.Opcode != Continuation || !options.EchoesFirstFragmentOnly)
            {
                Keep(chunk.Span);
            }
        }

        if (!header.Fin)
        {
            return true;
        }

        _messageOpen = false;
        if (checkText && !_utf8.IsComplete)
        {
            return await FailAsync(InvalidPayload).ConfigureAwait(false);
        }

        var echo = _message.AsSpan(0, _kept).ToArray();
        if (options.EchoCorruptsPayload && echo.Length > 0)
        {
            echo[^1] ^= 0x01; // the last octet of valid UTF-8 is ASCII or a continuation octet: it stays valid
        }

        await SendAsync(_messageOpcode, echo).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> OnControlFrameAsync(WireHeader header)
    {
        if (!header.Fin || header.Length > 125)
        {
            return await FailAsync(ProtocolError).ConfigureAwait(false); // §5.5
        }

        if (await connection.ReadWholePayloadAsync(header).ConfigureAwait(false) is not { } payload)
        {
            return false;
        }

        if (options.ForgetsSplitCodePointOnControlFrame && _messageOpen)
        {
            _utf8 = new Utf8Stream();
        }

        switch (header.Opcode)
        {
            case Ping when !options.NeverPongs:
                if (options.PongWrongPayload)
                {
                    payload = payload.Length == 0 ? "?"u8.ToArray() : [.. payload[..^1], (byte)(payload[^1] ^ 0x01)];
                }

                await SendAsync(Pong, payload).ConfigureAwait(false); // §5.5.2
                return true;
            case Close:
                await OnCloseAsync(payload).ConfigureAwait(false);
                return false;
            default:
                return true; // unsolicited pongs are ignored (§5.5.3)
        }
    }

    /// <summary>§5.5.1, §7.4: a valid close is answered with its code; a malformed one fails the connection.</summary>
    private async Task OnCloseAsync(byte[] payload)
    {
        if (payload.Length == 1)
        {
            await FailAsync(ProtocolError).ConfigureAwait(false);
            return;
        }

        if (payload.Length >= 2)
        {
            int code = BinaryPrimitives.ReadUInt16BigEndian(payload);
            if (!IsValidCloseCode(code))
            {
                await FailAsync(ProtocolError).ConfigureAwait(false);
                return;
            }

            var reason = new Utf8Stream();
            if (!reason.Feed(payload.AsSpan(2)) || !reason.IsComplete)
            {
                await FailAsync(InvalidPayload).ConfigureAwait(false);
                return;
            }
        }

        if (options.NeverAnswersClose)
        {
            await connection.WaitForPeerToCloseAsync().ConfigureAwait(false); // no answer, no FIN: the peer has to give up
            return;
        }

        byte[] reply = options.ClosesWithWrongCode == WrongCloseCode.ProtocolErrorOnValidClose
            ? ScriptedConnection.ClosePayload(ProtocolError)
            : payload.Length >= 2 ? payload[..2] : [];
        await SendCloseAsync(reply).ConfigureAwait(false);
    }

    /// <summary>RFC 6455 §7.1.7: fail the connection with a close frame carrying the code, then close TCP.</summary>
    private async Task<bool> FailAsync(ushort code)
    {
        if (options.ClosesWithWrongCode == WrongCloseCode.NormalOnProtocolError)
        {
            code = 1000;
        }

        await SendCloseAsync(ScriptedConnection.ClosePayload(code)).ConfigureAwait(false);
        return false;
    }

    private async Task SendCloseAsync(byte[] payload)
    {
        if (options.DropsTcpWithoutClose)
        {
            connection.DropTcp();
            return;
        }

        await SendAsync(Close, payload).ConfigureAwait(false);
        await connection.CloseTcpAsync().ConfigureAwait(false);
    }

    private ValueTask SendAsync(byte opcode, byte[] payload) => connection.WriteFrameAsync(opcode, payload, mask: options.MasksItsFrames);

    /// <summary>Keeps the message's octets (only the first <see cref="ScriptedServerOptions.TruncateAt"/> when truncating).</summary>
    private void Keep(ReadOnlySpan<byte> octets)
    {
        if (options.TruncatesLargeMessages)
        {
            octets = octets[..Math.Min(octets.Length, Math.Max(0, options.TruncateAt - _kept))];
        }

        if (_kept + octets.Length > _message.Length)
        {
            Array.Resize(ref _message, Math.Max(_message.Length * 2, _kept + octets.Length));
        }

        octets.CopyTo(_message.AsSpan(_kept));
        _kept += octets.Length;
    }

    /// <summary>RFC 6455 §7.4.1/§7.4.2 plus the IANA registrations 1012–1014.</summary>
    private static bool IsValidCloseCode(int code) => code is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999;

    /// <summary>
    /// Incremental UTF-8 check on .NET's own decoder (not the harness's validator, so a bug there
    /// cannot hide itself): fails at the first octet that makes the stream invalid.
    /// </summary>
    private sealed class Utf8Stream
    {
        private readonly byte[] _carry = new byte[4];
        private int _carried;
        private char[]? _scratch;

        public bool IsComplete => _carried == 0;

        public bool Feed(ReadOnlySpan<byte> octets)
        {
            // Finish a sequence left open by the previous piece, one octet at a time.
            while (_carried > 0 && !octets.IsEmpty)
            {
                _carry[_carried++] = octets[0];
                octets = octets[1..];
                switch (System.Text.Rune.DecodeFromUtf8(_carry.AsSpan(0, _carried), out _, out _))
                {
                    case OperationStatus.Done:
                        _carried = 0;
                        break;
                    case OperationStatus.InvalidData:
                        return false;
                }
            }

            _scratch ??= new char[16 * 1024];
            while (!octets.IsEmpty)
            {
                var status = Utf8.ToUtf16(octets, _scratch, out int read, out _, replaceInvalidSequences: false, isFinalBlock: false);
                switch (status)
                {
                    case OperationStatus.Done:
                        return true;
                    case OperationStatus.DestinationTooSmall:
                        octets = octets[read..];
                        break;
                    case OperationStatus.NeedMoreData:
                        octets[read..].CopyTo(_carry);
                        _carried = octets.Length - read;
                        return true;
                    default:
                        return false;
                }
            }

            return true;
        }

        public override string ToString() => Encoding.UTF8.GetString(_carry, 0, _carried);
    }
}
