using System.Diagnostics;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Transport;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// Plays one case over an open WebSocket connection (after the opening handshake) in one role and
/// records what happens. The case ends when the TCP connection is gone: every timer is an upper
/// bound, so a conformant peer ends a case as fast as it answers.
/// The parts, each with its own state: the <see cref="FrameSender"/> (write loop), the
/// <see cref="FrameReceiver"/> (read loop) with its <see cref="MessageAssembler"/>, the
/// <see cref="CloseHandshake"/>, the <see cref="ScriptPlayer"/>, and the case's <see cref="BehaviorMonitor"/>.
/// They share one lock, <see cref="Gate"/>, held whenever the peer's input or a timer changes state.
/// </summary>
internal sealed class CaseSession
{
    /// <summary>Events kept per case; a peer that floods beyond this cannot match any expectation anyway.</summary>
    private const int MaxEvents = 10_000;

    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _tcpGone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock;
    private readonly List<Event> _events = [];
    private bool _eventsTruncated;

    public CaseSession(Case @case, bool testerIsServer, TcpConnection connection, Timers timers, WireRecorder log, Stopwatch clock)
    {
        Case = @case;
        TesterIsServer = testerIsServer;
        Connection = connection;
        Timers = timers;
        Log = log;
        _clock = clock;
        Stopping = _stop.Token;
        Behavior = BehaviorMonitor.For(@case);
        Stall = new StallMonitor(Gate, @case, timers, log, () => Receiver!.RxOctets + Sender!.TxOctets, () => Closing!.State == SessionState.Open, why => TimerFired ??= why);
        Timer = new SessionTimer(Gate, timers, log, Stopping, () => Closing!.State == SessionState.Gone, Stall);
        Sender = new FrameSender(connection, testerIsServer, log, Stopping, why => Closing!.Drop(why));
        Closing = new CloseHandshake(Gate, testerIsServer, timers, log, Sender, Timer,
            dropTcp: connection.Drop, beforeEnd: () => Receiver!.LogUnfinishedFrame(), ended: Ended);
        var messages = new MessageAssembler(Behavior, Deflate, @case.Deflate is { InspectPeer: true }, log, v => Receiver!.MessageViolated(v));
        Receiver = new FrameReceiver(this, messages);
        Script = new ScriptPlayer(this);
    }

    internal object Gate { get; } = new();

    internal Case Case { get; }

    internal bool TesterIsServer { get; }

    internal TcpConnection Connection { get; }

    internal Timers Timers { get; }

    internal WireRecorder Log { get; }

    internal CancellationToken Stopping { get; }

    internal SessionTimer Timer { get; }

    internal StallMonitor Stall { get; }

    internal FrameSender Sender { get; }

    internal CloseHandshake Closing { get; }

    internal FrameReceiver Receiver { get; }

    internal ScriptPlayer Script { get; }

    internal BehaviorMonitor Behavior { get; }

    internal DeflateContext Deflate { get; } = new();

    /// <summary>The label of the case timer that closed the connection (K, C or the watchdog), if one did (under <see cref="Gate"/>).</summary>
    internal string? TimerFired { get; set; }

    /// <summary>
    /// Sets up compression from the negotiation, before <see cref="RunAsync"/>. <paramref name="agreement"/>
    /// is null when nothing was agreed (then RSV1 from the peer is a protocol error, RFC 6455 §5.2).
    /// </summary>
    /// <param name="unavailable">Why this machine cannot compress at all (no zlib): the case fails with that reason.</param>
    public void UseDeflate(DeflateAgreement? agreement, string negotiation, string? unavailable = null) =>
        Deflate.Use(agreement, negotiation, unavailable, TesterIsServer);

    /// <summary>Runs the case to the end of the TCP connection. <paramref name="leftover"/> holds octets read past the handshake.</summary>
    public async Task<Observations> RunAsync(ReadOnlyMemory<byte> leftover, string httpRequest, string httpResponse, DateTimeOffset started, CancellationToken cancel)
    {
        var caseStart = _clock.Elapsed;
        using var link = cancel.Register(() => Closing.Drop("run cancelled"));
        var writer = Sender.Finished;
        var reader = Receiver.Start(leftover);
        var script = Task.Run(Script.PlayAsync);
        var stall = Stall.WatchAsync(_stop.Token);
        var watchdog = Timers.Scaled(Watchdog.For(Case));
        var finished = await Task.WhenAny(_tcpGone.Task, Task.Delay(watchdog, _stop.Token)).ConfigureAwait(false);
        if (finished != _tcpGone.Task)
        {
            lock (Gate)
            {
                TimerFired ??= "watchdog";
            }

            Closing.Drop($"case watchdog fired after {watchdog.TotalSeconds:F1} s");
        }

        await _tcpGone.Task.ConfigureAwait(false);
        var duration = _clock.Elapsed - caseStart;
        _stop.Cancel();
        Connection.Drop(); // a blocking write to a peer that no longer reads ends here
        Sender.Complete();
        await Task.WhenAll(Quietly(writer), Quietly(reader), Quietly(script), Quietly(stall)).ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
        Deflate.Dispose();

        lock (Gate)
        {
            return new Observations
            {
                HandshakeCompleted = true,
                TesterIsServer = TesterIsServer,
                Events = _events.ToArray(),
                EventsTruncated = _eventsTruncated,
                Closing = Closing.Details(),
                PeerViolation = Closing.PeerViolation,
                PeerCloseInvalid = Closing.PeerCloseInvalid,
                EchoesMatched = Behavior.EchoesMatched,
                EchoMismatch = Behavior.EchoMismatch,
                TimerFired = TimerFired,
                TxFrames = Sender.TxFrames(),
                RxFrames = new Dictionary<int, int>(Receiver.RxFrames),
                PeerMaskKeys = Receiver.MaskKeys.ToArray(),
                RxOctets = Receiver.RxOctets,
                TxOctets = Sender.TxOctets,
                TesterDataAfterClose = Sender.DataAfterClose,
                HttpRequest = httpRequest,
                HttpResponse = httpResponse,
                WireLog = Log.Snapshot(),
                Started = started,
                DurationMs = duration.TotalMilliseconds,
                Deflate = Deflate.Observations(Case.Deflate),
            };
        }
    }

    /// <summary>Records an event from the peer, then lets the behaviour monitor react (auto-close, echo checks).</summary>
    internal void RecordEvent(Event @event)
    {
        SessionTimer.AssertHeld(Gate);
        if (_events.Count >= MaxEvents)
        {
            _eventsTruncated = true;
            return;
        }

        _events.Add(@event);
        if (Behavior.OnEvent(_events, @event) is { } close)
        {
            if (close.Note is { } note)
            {
                Log.Note(WireDirection.Local, note);
            }

            Closing.StartClosing(CloseCodes.Normal, []);
        }

        if (@event is MessageEvent)
        {
            Script.MessageRecorded();
        }
    }

    /// <summary>TCP has ended (under <see cref="Gate"/>): the run may finish, and a waiting script stops waiting.</summary>
    private void Ended()
    {
        _tcpGone.TrySetResult();
        Script.ReleaseWaiter();
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
}
