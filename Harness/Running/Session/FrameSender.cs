using System.Buffers;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Transport;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// The tester's frame sender: one <see cref="WriteQueue"/>, so frames leave in order and the reader
/// never waits for a write that could block (a peer that stops reading cannot deadlock the tester).
/// Writes are blocking system calls, never the socket's asynchronous engine: a small item written
/// while nothing else is queued leaves at once from the thread that queued it (a round trip of 9.7/9.8
/// costs one read and one write, no thread switch). Write modes shape segmentation only (spec §0.2).
/// Frames written whole are coalesced into one buffer and handed to the socket once the queue is
/// empty, so a burst of small frames costs one system call.
/// </summary>
internal sealed class FrameSender
{
    /// <summary>How the wire log marks a tester bug (tests look for it).</summary>
    public const string TesterBug = "tester bug";

    private const int CoalesceSize = 64 * 1024;

    /// <summary>
    /// The most octets the queuing thread writes itself, and only when the socket has room (poll(2)): the
    /// kernel then takes them without blocking (it reports room while at least a third of the send buffer is free).
    /// </summary>
    private const int InlineMax = 8 * 1024;
    private const int FrameHeaderMax = 14;
    private const int SpacedChopMax = 16;

    /// <summary>The largest frame whose spaced chops the shared <see cref="ChopPacer"/> writes (it holds the whole frame in memory).</summary>
    private const int PacedFrameMax = 64 * 1024;

    private readonly WriteQueue _queue;
    private readonly MaskKeySource _keys = new();
    private readonly int[] _txFrameCounts = new int[16];
    private readonly TcpConnection _connection;
    private readonly bool _testerIsServer;
    private readonly WireRecorder _log;
    private readonly CancellationToken _stop;
    private readonly Action<string> _drop;
    private byte[]? _pending;
    private int _pendingLength;
    private long _txOctets;
    private bool _closeWritten;
    private string? _dataAfterClose;

    // The payload of the latest ping not yet answered; non-null while a PongReply is queued.
    private byte[]? _pongPayload;

    /// <param name="drop">Drops TCP (for <see cref="Outgoing.DropAfterFlush"/>).</param>
    public FrameSender(TcpConnection connection, bool testerIsServer, WireRecorder log, CancellationToken stop, Action<string> drop)
    {
        _connection = connection;
        _testerIsServer = testerIsServer;
        _log = log;
        _stop = stop;
        _drop = drop;
        _queue = new WriteQueue(WriteItem, FlushPending, FlushPendingNow, CanWriteInline, item => (item as Outgoing.Flush)?.Done.TrySetResult(), ReturnBuffer);
    }

    /// <summary>Completes when the writing has ended (after <see cref="Complete"/>).</summary>
    public Task Finished => _queue.Finished;

    public long TxOctets => Interlocked.Read(ref _txOctets);

    /// <summary>
    /// Set when a data frame reached the writer after the tester's own close frame without being a
    /// deliberate part of the case: it was not written (RFC 6455 §5.5.1), and the tester has a bug
    /// (its script or a monitor went on sending). Tests fail on it.
    /// </summary>
    public string? DataAfterClose => Volatile.Read(ref _dataAfterClose);

    /// <summary>Frames sent per opcode (only opcodes sent at least once).</summary>
    public Dictionary<int, int> TxFrames() =>
        Enumerable.Range(0, 16).Where(op => Volatile.Read(ref _txFrameCounts[op]) > 0).ToDictionary(op => op, op => Volatile.Read(ref _txFrameCounts[op]));

    public void Enqueue(Outgoing item) => _queue.Enqueue(item);

    /// <summary>No more items: the writing ends once the queue is drained.</summary>
    public void Complete() => _queue.Complete();

    /// <summary>Queues a pong, or, when one is already waiting to be written, makes it answer this later ping instead.</summary>
    public void AnswerPing(byte[] payload)
    {
        if (Interlocked.Exchange(ref _pongPayload, payload) is null)
        {
            Enqueue(new Outgoing.PongReply());
        }
    }

    /// <summary>Completes when everything queued so far has been handed to the socket.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Enqueue(new Outgoing.Flush(done)))
        {
            done.TrySetResult();
        }

        return done.Task;
    }

    /// <summary>
    /// Small items not written in chops, when the socket has room (see <see cref="InlineMax"/>); coalesced items need no
    /// such check where the socket can take octets without waiting: what does not fit is left to the writer (<see cref="FlushPendingNow"/>).
    /// </summary>
    private bool CanWriteInline(Outgoing item)
    {
        long octets = item switch
        {
            Outgoing.FrameItem f when f.Writing.Mode != WriteMode.Chopped => f.Frame.Payload.Length + FrameHeaderMax,
            Outgoing.MessageItem m when m.Message.Writing.Mode != WriteMode.Chopped => m.Message.Payload.Length + (FrameHeaderMax * FrameCount(m.Message)),
            Outgoing.PartItem p => p.End - p.Start,
            Outgoing.Control c => c.Payload.Length + FrameHeaderMax,
            Outgoing.PongReply => FrameHeaderMax + FrameLimits.MaxControlPayload,
            Outgoing.Flush or Outgoing.DropAfterFlush => 0, // nothing is pending while the queue is idle: nothing to write
            _ => long.MaxValue,
        };
        return octets == 0 || (octets <= InlineMax && ((Coalesces(item) && _connection.CanSendNow) || _connection.HasRoomToWrite()));
    }

    /// <summary>Whether all of an item's octets go to the coalescing buffer (frames written whole), none to the socket directly.</summary>
    private static bool Coalesces(Outgoing item) => item switch
    {
        Outgoing.FrameItem f => f.Writing.Mode == WriteMode.Whole,
        Outgoing.MessageItem m => m.Message.Writing.Mode == WriteMode.Whole,
        Outgoing.Control or Outgoing.PongReply => true,
        _ => false,
    };

    private static long FrameCount(SendMessage message) => message.FragmentSize <= 0 ? 1 : (message.Payload.Length / message.FragmentSize) + 1;

    private void ReturnBuffer()
    {
        if (_pending is { } buffer)
        {
            _pending = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteItem(Outgoing item)
    {
        _stop.ThrowIfCancellationRequested();
        if (_closeWritten && !item.AfterOwnClose && CarriesData(item) is { } opcode)
        {
            // RFC 6455 §5.5.1: after sending a Close frame, the endpoint MUST NOT send any more data frames.
            if (item.CheckedOpen)
            {
                _log.Note(WireDirection.Local, $"not sent: a {Opcode.Name(opcode)} frame queued just before the tester's close was decided (RFC 6455 §5.5.1)");
                return;
            }

            string bug = $"{TesterBug}: a {Opcode.Name(opcode)} frame was queued after the tester's close without checking; not sent (RFC 6455 §5.5.1)";
            Volatile.Write(ref _dataAfterClose, bug);
            _log.Note(WireDirection.Local, bug);
            return;
        }

        switch (item)
        {
            case Outgoing.FrameItem f:
                WriteFrame(Prepare(f.Frame), f.Writing);
                break;
            case Outgoing.MessageItem m:
                foreach (var frame in m.Message.Frames())
                {
                    WriteFrame(Prepare(frame), m.Message.Writing);
                }

                break;
            case Outgoing.PartItem p:
                FlushPending();
                if (p.Start == 0)
                {
                    LogSentFrame(p.Frame, InParts);
                }
                else
                {
                    _log.Note(WireDirection.Tx, $"next part of the {Opcode.Name(p.Frame.Frame.Opcode)} frame: octets {p.Start}-{p.End - 1} of {p.Frame.TotalLength}");
                }

                WriteRange(p.Frame, p.Start, p.End, (int)Math.Min(CoalesceSize, Math.Max(1, p.End - p.Start)));
                break;
            case Outgoing.Control c:
                WriteFrame(Prepare(new Frame(c.Opcode, Payload.Of(c.Payload))), Writing.Whole);
                break;
            case Outgoing.PongReply:
                if (Interlocked.Exchange(ref _pongPayload, null) is { } pong)
                {
                    WriteFrame(Prepare(new Frame(Opcode.Pong, Payload.Of(pong))), Writing.Whole);
                }

                break;
            case Outgoing.Flush flush:
                FlushPending();
                flush.Done.TrySetResult();
                break;
            case Outgoing.DropAfterFlush drop:
                FlushPending();
                _drop(drop.Why);
                break;
        }
    }

    private PreparedFrame Prepare(Frame frame) => PreparedFrame.For(frame, _testerIsServer, _keys);

    /// <summary>The opcode of the data frame an item writes, or null for control frames and bookkeeping.</summary>
    private static byte? CarriesData(Outgoing item) => item switch
    {
        Outgoing.FrameItem { Frame.Opcode: < 8 } f => f.Frame.Opcode,
        Outgoing.MessageItem m => m.Message.Opcode,
        Outgoing.PartItem { Start: > 0 } => null, // the rest of a frame already started is not a new frame
        Outgoing.PartItem { Frame.Frame.Opcode: < 8 } p => p.Frame.Frame.Opcode,
        _ => null,
    };

    private void WriteFrame(PreparedFrame frame, Writing writing)
    {
        LogSentFrame(frame, writing);
        switch (writing.Mode)
        {
            case WriteMode.Chopped when writing.ChopSize <= SpacedChopMax && frame.TotalLength <= PacedFrameMax && _connection.CanSendNow:
                FlushPending();
                WritePaced(frame, writing.ChopSize);
                break;
            case WriteMode.Chopped:
                FlushPending();
                WriteRange(frame, 0, frame.TotalLength, writing.ChopSize, spaced: writing.ChopSize <= SpacedChopMax);
                break;
            case WriteMode.FramePerWrite:
                FlushPending();
                WriteRange(frame, 0, frame.TotalLength, CoalesceSize);
                break;
            default:
                for (long offset = 0; offset < frame.TotalLength;)
                {
                    if (_pendingLength == CoalesceSize)
                    {
                        FlushPending();
                    }

                    int take = (int)Math.Min(CoalesceSize - _pendingLength, frame.TotalLength - offset);
                    _pending ??= ArrayPool<byte>.Shared.Rent(CoalesceSize);
                    frame.CopyTo(offset, _pending.AsSpan(_pendingLength, take));
                    _pendingLength += take;
                    offset += take;
                }

                break;
        }
    }

    /// <summary>
    /// A frame in tiny chops, spaced by the shared <see cref="ChopPacer"/>. Autobahn writes each chop in its own
    /// event-loop turn; back-to-back writes of single octets reach the peer faster than that and change which of
    /// its own tasks (echo or error detection) runs first. Only tiny chops are spaced: the octets and segments
    /// are the same, and 9.5/9.6's thousands of chops stay cheap.
    /// </summary>
    private void WritePaced(PreparedFrame frame, int pieceSize)
    {
        var octets = new byte[frame.TotalLength]; // not pooled: the pacer may still look at it after a cancelled wait
        frame.CopyTo(0, octets);
        ChopPacer.Write(_connection, octets, pieceSize, n => Interlocked.Add(ref _txOctets, n), _stop);
    }

    /// <summary>Writes octets [start, end) of a frame in writes of at most <paramref name="pieceSize"/> octets each.</summary>
    /// <param name="spaced">Leave about <see cref="ChopPacer.Spacing"/> between writes (see <see cref="WritePaced"/>), where the pacer cannot.</param>
    private void WriteRange(PreparedFrame frame, long start, long end, int pieceSize, bool spaced = false)
    {
        var piece = ArrayPool<byte>.Shared.Rent(pieceSize);
        try
        {
            for (long offset = start; offset < end; offset += pieceSize)
            {
                int take = (int)Math.Min(pieceSize, end - offset);
                frame.CopyTo(offset, piece.AsSpan(0, take));
                Write(piece.AsSpan(0, take));
                if (spaced)
                {
                    ShortSleep.For(ChopPacer.Spacing);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
        }
    }

    private void FlushPending()
    {
        if (_pendingLength == 0)
        {
            return;
        }

        int length = _pendingLength;
        _pendingLength = 0;
        Write(_pending!.AsSpan(0, length));
    }

    /// <summary>Hands the coalesced octets to the socket without waiting (see <see cref="CanWriteInline"/>); false when some are left.</summary>
    private bool FlushPendingNow()
    {
        if (_pendingLength == 0 || !_connection.CanSendNow)
        {
            FlushPending();
            return true;
        }

        int sent = _connection.TrySendNow(_pending!.AsSpan(0, _pendingLength));
        Interlocked.Add(ref _txOctets, sent);
        _pendingLength -= sent;
        _pending.AsSpan(sent, _pendingLength).CopyTo(_pending);
        return _pendingLength == 0;
    }

    private void Write(ReadOnlySpan<byte> octets)
    {
        _connection.Stream.Write(octets);
        Interlocked.Add(ref _txOctets, octets.Length);
    }

    private static readonly Writing? InParts = null;

    /// <param name="writing">How the frame is written, for the log; null: in parts.</param>
    private void LogSentFrame(PreparedFrame frame, Writing? writing)
    {
        var f = frame.Frame;
        Interlocked.Increment(ref _txFrameCounts[f.Opcode & 0xF]);
        _closeWritten |= f.Opcode == Opcode.Close;

        if (!_log.Keeps(f.Opcode))
        {
            _log.Omit();
            return;
        }

        int excerpt = (int)Math.Min(WireRecorder.ExcerptOctets, f.Payload.Length);
        Span<byte> raw = stackalloc byte[frame.HeaderLength + excerpt];
        frame.CopyTo(0, raw);
        var plain = f.Payload.Head(excerpt);
        _log.Frame(WireDirection.Tx, f.Opcode, f.Fin, f.Rsv, frame.MaskKey?.ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
            f.Payload.Length, plain, raw, writing?.ToString() ?? "in parts");
    }
}
