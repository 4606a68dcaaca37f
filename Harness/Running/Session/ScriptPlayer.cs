using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// Plays a case's script: each step in order, its timers armed beside it (spec §0.4). It also lets a
/// step wait for the peer's next message (round trips): the receiver counts messages and wakes it.
/// </summary>
internal sealed class ScriptPlayer
{
    private readonly CaseSession _session;
    private readonly object _gate;
    private readonly FrameSender _sender;
    private readonly CloseHandshake _closing;
    private readonly WireRecorder _log;
    private readonly CancellationToken _stop;
    private readonly MaskKeySource _partKeys = new();
    private readonly DeflateSteps _deflateSteps;

    private TaskCompletionSource _messageArrived = new();
    private int _messagesReceived;
    private int _awaitedMessages;
    private bool _signalMessage;
    private bool _scriptClosed;

    public ScriptPlayer(CaseSession session)
    {
        _session = session;
        _gate = session.Gate;
        _sender = session.Sender;
        _closing = session.Closing;
        _log = session.Log;
        _stop = session.Stopping;
        _deflateSteps = new DeflateSteps(session, this);
    }

    public async Task PlayAsync()
    {
        if (_deflateSteps.SkipWithoutDeflate())
        {
            return;
        }

        foreach (var step in _session.Case.Script)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (!await PlayAsync(step).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Plays one step; false when the script must end here (the tester has closed).</summary>
    private async Task<bool> PlayAsync(Step step)
    {
        switch (step)
        {
            case SendFrame send:
                return Send(new Outgoing.FrameItem(send.Frame, send.Writing));
            case SendMessage message:
                return Send(new Outgoing.MessageItem(message));
            case SendFrameInParts parts:
                return await SendInPartsAsync(parts).ConfigureAwait(false);
            case Pause pause:
                await PauseAsync(pause).ConfigureAwait(false);
                break;
            case ArmKill kill:
                _session.Timer.Schedule(kill.After, $"K({kill.After.TotalSeconds}) timer", () =>
                {
                    _session.TimerFired ??= $"the case timer ({kill.After.TotalSeconds} s)";
                    _closing.Fail(CloseCodes.GoingAway, $"the case timer ({kill.After.TotalSeconds} s) fired", "Going Away");
                });
                break;
            case ArmCloseAfter closeAfter:
                _session.Timer.Schedule(closeAfter.After, $"C({closeAfter.After.TotalSeconds}) timer", () =>
                {
                    if (!_closing.SentClose)
                    {
                        _session.TimerFired ??= $"the case timer ({closeAfter.After.TotalSeconds} s)";
                        _closing.StartClosing(null, []);
                    }
                });
                break;
            case StartClose close:
                lock (_gate)
                {
                    _scriptClosed |= !_closing.SentClose;
                    _closing.StartClosing(close.Code, close.Reason?.ToArray() ?? []);
                }

                break;
            case StartCloseRaw raw:
                lock (_gate)
                {
                    _scriptClosed |= !_closing.SentClose;
                    _closing.StartClosing(null, [], raw.RawPayload.ToArray());
                }

                break;
            case AwaitMessage:
                await AwaitMessageAsync().ConfigureAwait(false);
                break;
            case AwaitWritten:
                await _sender.FlushAsync().WaitAsync(_stop).ConfigureAwait(false);
                break;
            default:
                return await _deflateSteps.TryPlayAsync(step).ConfigureAwait(false) ?? throw new NotSupportedException($"step {step.GetType().Name} is not known to the runner");
        }

        return true;
    }

    /// <summary>
    /// Whether the script may send data now: not once the tester has sent a close (RFC 6455 §5.5.1),
    /// unless the script sent that close itself and goes on on purpose (7.1.x test what the peer does
    /// with data after a close). False: the script ends here.
    /// </summary>
    public bool MaySend(out bool afterOwnClose)
    {
        lock (_gate)
        {
            afterOwnClose = _closing.SentClose;
            if (_closing.SentClose && !_scriptClosed)
            {
                _log.Note(WireDirection.Local, "the script stops: the tester has sent its close (RFC 6455 §5.5.1: no data after a close)");
                return false;
            }

            return _closing.State != SessionState.Gone;
        }
    }

    /// <summary>Queues a data item if the script may still send; false when the script ends here.</summary>
    public bool Send(Outgoing item)
    {
        if (!MaySend(out bool afterOwnClose))
        {
            return false;
        }

        _sender.Enqueue(item with { CheckedOpen = true, AfterOwnClose = afterOwnClose });
        return true;
    }

    /// <summary>6.4.x: one frame written in parts with pauses between; no later part once the tester has closed.</summary>
    private async Task<bool> SendInPartsAsync(SendFrameInParts parts)
    {
        var frame = PreparedFrame.For(parts.Frame, _session.TesterIsServer, _partKeys);
        long start = 0;
        for (int i = 0; i < parts.PartLengths.Count; i++)
        {
            long end = (i == 0 ? frame.HeaderLength : start) + parts.PartLengths[i];
            if (!Send(new Outgoing.PartItem(frame, start, Math.Min(end, frame.TotalLength))))
            {
                return false;
            }

            start = end;
            if (i < parts.Pauses.Count)
            {
                await PauseAsync(parts.Pauses[i]).ConfigureAwait(false);
            }
        }

        return start >= frame.TotalLength || Send(new Outgoing.PartItem(frame, start, frame.TotalLength));
    }

    /// <summary>W(n, tag): waits once what was queued has left; marks the tag if the connection is still open (spec §0.4).</summary>
    private async Task PauseAsync(Pause pause)
    {
        await _sender.FlushAsync().WaitAsync(_stop).ConfigureAwait(false);
        _log.Note(WireDirection.Local, $"pause {pause.Duration.TotalSeconds} s" + (pause.Tag is null ? "" : $" (marker '{pause.Tag}')"));
        await Task.Delay(_session.Timers.Scaled(pause.Duration), _stop).ConfigureAwait(false);
        lock (_gate)
        {
            if (pause.Tag is { } tag && _closing.State == SessionState.Open)
            {
                _log.Note(WireDirection.Local, $"marker '{tag}': the connection is still open");
                _session.RecordEvent(new TimeoutEvent(tag));
            }
        }
    }

    /// <summary>Waits until the peer has sent one more message than the script has waited for, or the connection is no longer open.</summary>
    public async Task AwaitMessageAsync()
    {
        _awaitedMessages++;
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (_messagesReceived >= _awaitedMessages || _closing.State != SessionState.Open)
                {
                    return;
                }

                if (_messageArrived.Task.IsCompleted)
                {
                    _messageArrived = new TaskCompletionSource();
                }

                arrived = _messageArrived.Task;
            }

            // No cancellation token (a registration per round trip): when TCP ends the waiter is released
            // (ReleaseWaiter), and the session only stops after that.
            await arrived.ConfigureAwait(false);
        }
    }

    /// <summary>A message was recorded (under the session lock); the waiter is woken by <see cref="SignalMessageArrived"/>.</summary>
    public void MessageRecorded()
    {
        SessionTimer.AssertHeld(_gate);
        _messagesReceived++;
        _signalMessage = true;
    }

    /// <summary>
    /// Wakes a script waiting for a message. Called after the session lock is released, so the
    /// script's next step may run inline on this thread (a round trip then costs no thread switch).
    /// </summary>
    public void SignalMessageArrived()
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

    /// <summary>The connection is gone: a waiting script must not wait any longer (called under the session lock).</summary>
    public void ReleaseWaiter()
    {
        var waiter = _messageArrived;
        ThreadPool.UnsafeQueueUserWorkItem(_ => waiter.TrySetResult(), null);
    }
}
