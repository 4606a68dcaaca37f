using System.Diagnostics;
using Conformance.Cases.Scripting;
using Conformance.Harness.Transport;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// Plays one case over an open WebSocket connection (after the opening handshake) in one role and
/// records what happens. The case ends when the TCP connection is gone: every timer is an upper
/// bound, so a conformant peer ends a case as fast as it answers.
/// One concern per partial file: receiving, sending, closing, and playing the script.
/// </summary>
internal sealed partial class CaseSession
{
    /// <summary>Events kept per case; a peer that floods beyond this cannot match any expectation anyway.</summary>
    private const int MaxEvents = 10_000;

    private readonly object _gate = new();
    private readonly Case _case;
    private readonly bool _testerIsServer;
    private readonly TcpConnection _connection;
    private readonly Timers _timers;
    private readonly WireRecorder _log;
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _tcpGone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Event> _events = [];
    private bool _eventsTruncated;
    private readonly Dictionary<int, int> _rxFrames = [];
    private long _rxOctets;
    private long _txOctets;
    private string? _peerViolation;
    private string? _timerFired;

    public CaseSession(Case @case, bool testerIsServer, TcpConnection connection, Timers timers, WireRecorder log, Stopwatch clock)
    {
        _case = @case;
        _testerIsServer = testerIsServer;
        _connection = connection;
        _timers = timers;
        _log = log;
        _clock = clock;
        _decoder = new Wire.FrameDecoder(this);
    }

    /// <summary>Runs the case to the end of the TCP connection. <paramref name="leftover"/> holds octets read past the handshake.</summary>
    public async Task<Observations> RunAsync(ReadOnlyMemory<byte> leftover, string httpRequest, string httpResponse, DateTimeOffset started, CancellationToken cancel)
    {
        var caseStart = _clock.Elapsed;
        using var link = cancel.Register(() => Drop("run cancelled"));
        var writer = Task.Run(WriteLoopAsync);
        var reader = StartReader(leftover);
        var script = Task.Run(PlayScriptAsync);
        var watchdog = _timers.Scaled(Watchdog.For(_case));
        var finished = await Task.WhenAny(_tcpGone.Task, Task.Delay(watchdog, _stop.Token)).ConfigureAwait(false);
        if (finished != _tcpGone.Task)
        {
            lock (_gate)
            {
                _timerFired ??= "watchdog";
            }

            Drop($"case watchdog fired after {watchdog.TotalSeconds:F1} s");
        }

        await _tcpGone.Task.ConfigureAwait(false);
        var duration = _clock.Elapsed - caseStart;
        _stop.Cancel();
        _outgoing.Writer.TryComplete();
        await Task.WhenAll(Quietly(writer), Quietly(reader), Quietly(script)).ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        DisposeDeflate();

        lock (_gate)
        {
            return new Observations
            {
                HandshakeCompleted = true,
                TesterIsServer = _testerIsServer,
                Events = _events.ToArray(),
                EventsTruncated = _eventsTruncated,
                Closing = CloseDetails(),
                PeerViolation = _peerViolation,
                EchoesMatched = _echoesMatched,
                EchoMismatch = _echoMismatch,
                TimerFired = _timerFired,
                TxFrames = Enumerable.Range(0, 16).Where(op => _txFrameCounts[op] > 0).ToDictionary(op => op, op => Volatile.Read(ref _txFrameCounts[op])),
                RxFrames = new Dictionary<int, int>(_rxFrames),
                RxOctets = _rxOctets,
                TxOctets = Interlocked.Read(ref _txOctets),
                HttpRequest = httpRequest,
                HttpResponse = httpResponse,
                WireLog = _log.Snapshot(),
                Started = started,
                DurationMs = duration.TotalMilliseconds,
                Deflate = DeflateObservations(),
            };
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
        }
    }

    /// <summary>Records an event from the peer, then lets the behaviour rule react (auto-close, echo checks).</summary>
    private void RecordEvent(Event @event)
    {
        if (_events.Count >= MaxEvents)
        {
            _eventsTruncated = true;
            return;
        }

        _events.Add(@event);
        switch (_case.Behavior)
        {
            case ExpectEvents expect when _case.Close.ClosedByTester && !_case.Flags.HasFlag(CaseFlags.NoAutoClose)
                                          && !_eventsTruncated && _events.SequenceEqual(expect.Ok):
                _log.Note(WireDirection.Local, "received the expected events: closing");
                StartClosing(Cases.Protocol.CloseCodes.Normal, []);
                break;
            case ExpectEchoes expect when @event is MessageEvent message:
                CheckEcho(expect, message);
                break;
            case ExpectDataSetEchoes expect when @event is MessageEvent message:
                CheckDataSetEcho(expect, message);
                break;
        }

        if (@event is MessageEvent)
        {
            _messagesReceived++;
            _signalMessage = true;
        }
    }

    private int _messagesReceived;
    private bool _signalMessage;

    /// <summary>
    /// Wakes a script waiting for a message. Called after the session lock is released, so the
    /// script's next step may run inline on this thread (a round trip then costs no thread switch).
    /// </summary>
    private void SignalMessageArrived()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (!_signalMessage)
            {
                return;
            }

            _signalMessage = false;
            waiter = _messageArrived;
        }

        waiter.TrySetResult();
    }

    private int _echoesMatched;
    private string? _echoMismatch;

    private void CheckEcho(ExpectEchoes expect, MessageEvent message)
    {
        if (_echoMismatch is not null || _echoesMatched >= expect.Count)
        {
            _echoMismatch ??= $"an extra message arrived after the {expect.Count} expected";
            return;
        }

        if (message.IsBinary != expect.IsBinary || message.Payload.Length != expect.Length)
        {
            _echoMismatch = $"reply {_echoesMatched + 1} was a {(message.IsBinary ? "binary" : "text")} message of {message.Payload.Length} octets; expected {(expect.IsBinary ? "binary" : "text")} of {expect.Length}";
            StartClosing(Cases.Protocol.CloseCodes.Normal, []);
            return;
        }

        _echoesMatched++;
        if (_echoesMatched == expect.Count)
        {
            StartClosing(Cases.Protocol.CloseCodes.Normal, []);
        }
    }
}
