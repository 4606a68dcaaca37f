using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>Playing the script: each step in order, timers armed beside it.</summary>
internal sealed partial class CaseSession
{
    private int _awaitedMessages;
    private readonly MaskKeySource _partKeys = new();

    private async Task PlayScriptAsync()
    {
        if (SkipScriptWithoutDeflate())
        {
            return;
        }

        foreach (var step in _case.Script)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            await PlayAsync(step).ConfigureAwait(false);
        }
    }

    private async Task PlayAsync(Step step)
    {
        switch (step)
        {
            case SendFrame send:
                Enqueue(new Outgoing.FrameItem(send.Frame, send.Writing));
                break;
            case SendMessage message:
                Enqueue(new Outgoing.MessageItem(message));
                break;
            case SendFrameInParts parts:
                await SendInPartsAsync(parts).ConfigureAwait(false);
                break;
            case Pause pause:
                await PauseAsync(pause).ConfigureAwait(false);
                break;
            case ArmKill kill:
                Schedule(kill.After, $"K({kill.After.TotalSeconds}) timer", () =>
                {
                    _timerFired ??= $"the case timer ({kill.After.TotalSeconds} s)";
                    FailConnection(CloseCodes.GoingAway, $"the case timer ({kill.After.TotalSeconds} s) fired", "Going Away");
                });
                break;
            case ArmCloseAfter closeAfter:
                Schedule(closeAfter.After, $"C({closeAfter.After.TotalSeconds}) timer", () =>
                {
                    if (!_sentClose)
                    {
                        _timerFired ??= $"the case timer ({closeAfter.After.TotalSeconds} s)";
                        StartClosing(null, []);
                    }
                });
                break;
            case StartClose close:
                lock (_gate)
                {
                    StartClosing(close.Code, close.Reason?.ToArray() ?? []);
                }

                break;
            case StartCloseRaw raw:
                lock (_gate)
                {
                    StartClosing(null, [], raw.RawPayload.ToArray());
                }

                break;
            case AwaitMessage:
                await AwaitMessageAsync().ConfigureAwait(false);
                break;
            default:
                if (!await TryPlayDeflateStepAsync(step).ConfigureAwait(false))
                {
                    throw new NotSupportedException($"step {step.GetType().Name} is not known to the runner");
                }

                break;
        }
    }

    private async Task SendInPartsAsync(SendFrameInParts parts)
    {
        var frame = PreparedFrame.For(parts.Frame, _testerIsServer, _partKeys);
        long start = 0;
        for (int i = 0; i < parts.PartLengths.Count; i++)
        {
            long end = (i == 0 ? frame.HeaderLength : start) + parts.PartLengths[i];
            Enqueue(new Outgoing.PartItem(frame, start, Math.Min(end, frame.TotalLength)));
            start = end;
            if (i < parts.Pauses.Count)
            {
                await PauseAsync(parts.Pauses[i]).ConfigureAwait(false);
            }
        }

        if (start < frame.TotalLength)
        {
            Enqueue(new Outgoing.PartItem(frame, start, frame.TotalLength));
        }
    }

    /// <summary>W(n, tag): waits once what was queued has left; marks the tag if the connection is still open (spec §0.4).</summary>
    private async Task PauseAsync(Pause pause)
    {
        await FlushAsync().WaitAsync(_stop.Token).ConfigureAwait(false);
        _log.Note(WireDirection.Local, $"pause {pause.Duration.TotalSeconds} s" + (pause.Tag is null ? "" : $" (marker '{pause.Tag}')"));
        await Task.Delay(_timers.Scaled(pause.Duration), _stop.Token).ConfigureAwait(false);
        lock (_gate)
        {
            if (pause.Tag is { } tag && _state == SessionState.Open)
            {
                _log.Note(WireDirection.Local, $"marker '{tag}': the connection is still open");
                RecordEvent(new TimeoutEvent(tag));
            }
        }
    }

    private async Task AwaitMessageAsync()
    {
        _awaitedMessages++;
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (_messagesReceived >= _awaitedMessages || _state != SessionState.Open)
                {
                    return;
                }

                if (_messageArrived.Task.IsCompleted)
                {
                    _messageArrived = new TaskCompletionSource();
                }

                arrived = _messageArrived.Task;
            }

            await arrived.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
    }
}
