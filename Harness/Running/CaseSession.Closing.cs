using System.Buffers.Binary;
using System.Text;
using Conformance.Cases.Protocol;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

internal enum SessionState
{
    Open,
    Closing,
    Gone,
}

/// <summary>Closing: the closing handshake (RFC 6455 §7), failing the connection, timers, and dropping TCP.</summary>
internal sealed partial class CaseSession
{
    private SessionState _state = SessionState.Open;
    private bool _sentClose;
    private bool _receivedClose;
    private bool _closedByMe;
    private bool _failedByMe;
    private bool _droppedByMe;
    private bool _wasClean;
    private string? _wasNotCleanReason;
    private bool _serverDropTimeout;
    private bool _closeHandshakeTimeout;
    private int? _localCloseCode;
    private string? _localCloseReason;
    private int? _remoteCloseCode;
    private string? _remoteCloseReason;

    /// <summary>The tester starts the closing handshake (RFC 6455 §7.1.2). Does nothing once it has sent a close.</summary>
    private void StartClosing(ushort? code, ReadOnlySpan<byte> reason, byte[]? rawPayload = null)
    {
        if (_sentClose || _state == SessionState.Gone)
        {
            return;
        }

        byte[] payload = rawPayload ?? ClosePayload(code, reason);
        _sentClose = true;
        _state = SessionState.Closing;
        if (payload.Length >= 2)
        {
            _localCloseCode = BinaryPrimitives.ReadUInt16BigEndian(payload);
            var reasonOctets = payload.AsSpan(2);
            _localCloseReason = Utf8Validator.IsValid(reasonOctets) ? Encoding.UTF8.GetString(reasonOctets) : "0x" + Convert.ToHexStringLower(reasonOctets);
        }

        Enqueue(new Outgoing.Control(Opcode.Close, payload));
        if (_receivedClose)
        {
            CloseHandshakeCompleted(initiatedByMe: false);
            return;
        }

        _closedByMe = true;
        Schedule(_timers.CloseHandshake, "close handshake timeout", () =>
        {
            if (!_receivedClose)
            {
                _closeHandshakeTimeout = true;
                _wasClean = false;
                _wasNotCleanReason = "the peer did not answer the close frame in time";
                Drop("close handshake timed out: no close frame from the peer");
            }
        });
    }

    /// <summary>The tester fails the connection (RFC 6455 §7.1.7): a close frame if it has not sent one, else it drops TCP.</summary>
    /// <param name="code">The close code to send.</param>
    /// <param name="reason">Why, for the wire log.</param>
    /// <param name="wireReason">The close reason to put on the wire (Autobahn's K timer sends "Going Away").</param>
    private void FailConnection(ushort code, string reason, string wireReason = "")
    {
        if (_state == SessionState.Gone)
        {
            return;
        }

        _failedByMe = true;
        if (_sentClose)
        {
            Drop(reason);
            return;
        }

        _log.Note(WireDirection.Local, $"failing the connection with {code}: {reason}");
        StartClosing(code, Encoding.UTF8.GetBytes(wireReason));
    }

    private void PeerViolated(Violation violation)
    {
        _peerViolation ??= violation.Reason;
        _log.Note(WireDirection.Local, $"peer violated the protocol: {violation.Reason}");
        FailConnection(violation.CloseCode, violation.Reason);
    }

    private void OnCloseFrame(ReadOnlySpan<byte> payload)
    {
        if (_receivedClose)
        {
            _log.Note(WireDirection.Local, "a second close frame from the peer was ignored");
            return;
        }

        _receivedClose = true;
        _state = SessionState.Closing;
        var violation = FrameRules.CheckClosePayload(payload, out int? code, out string? reason);
        _remoteCloseCode = code;
        _remoteCloseReason = reason;
        if (_sentClose)
        {
            CloseHandshakeCompleted(initiatedByMe: true);
            return;
        }

        // The peer started the closing handshake; the tester answers (with 1000, as Autobahn does,
        // or with the code of the peer's own violation when its close frame was malformed).
        if (violation is not null)
        {
            _peerViolation ??= violation.Reason;
            _failedByMe = true;
            _log.Note(WireDirection.Local, $"peer's close frame is invalid: {violation.Reason}");
            StartClosing(violation.CloseCode, []);
        }
        else
        {
            StartClosing(CloseCodes.Normal, []);
        }
    }

    private void CloseHandshakeCompleted(bool initiatedByMe)
    {
        _wasClean = true;
        if (_testerIsServer)
        {
            // RFC 6455 §7.1.1: the server closes the TCP connection first. (Let the queued close frame leave first.)
            Enqueue(new Outgoing.DropAfterFlush("closing handshake complete: the server closes TCP (RFC 6455 §7.1.1)"));
            return;
        }

        Schedule(_timers.ServerDrop, "server TCP close timeout", () =>
        {
            if (initiatedByMe)
            {
                _serverDropTimeout = true;
                _wasClean = false;
                _wasNotCleanReason = "the server did not close the TCP connection after the closing handshake";
            }

            Drop("the server did not close TCP after the closing handshake (RFC 6455 §7.1.1)");
        });
    }

    /// <summary>Arms a timer; its action runs under the session lock unless the connection is already gone.</summary>
    private void Schedule(TimeSpan delay, string label, Action action)
    {
        var scaled = _timers.Scaled(delay);
        _ = Task.Delay(scaled, _stop.Token).ContinueWith(t =>
        {
            if (t.IsCanceled)
            {
                return;
            }

            lock (_gate)
            {
                if (_state != SessionState.Gone)
                {
                    _log.Note(WireDirection.Local, $"{label} ({scaled.TotalSeconds:0.###} s) fired");
                    action();
                }
            }
        }, TaskScheduler.Default);
    }

    /// <summary>The tester closes the TCP connection itself.</summary>
    private void Drop(string why)
    {
        lock (_gate)
        {
            if (_state == SessionState.Gone)
            {
                return;
            }

            _droppedByMe = true;
            _log.Note(WireDirection.Local, $"TCP dropped by the tester: {why}");
            _connection.Drop();
            TcpGone(null);
        }
    }

    private void TcpGone(string? error)
    {
        lock (_gate)
        {
            if (_state == SessionState.Gone)
            {
                return;
            }

            LogUnfinishedFrame();
            if (!_droppedByMe)
            {
                _log.Note(WireDirection.Rx, error ?? "TCP closed by the peer");
            }

            if (!(_sentClose && _receivedClose))
            {
                _wasClean = false;
                _wasNotCleanReason ??= _receivedClose || _sentClose
                    ? "the TCP connection ended before the closing handshake completed"
                    : "the TCP connection ended without a closing handshake";
            }

            _state = SessionState.Gone;
            var waiter = _messageArrived;
            _tcpGone.TrySetResult();
            ThreadPool.UnsafeQueueUserWorkItem(_ => waiter.TrySetResult(), null);
        }
    }

    private static byte[] ClosePayload(ushort? code, ReadOnlySpan<byte> reason)
    {
        if (code is null)
        {
            return [];
        }

        var payload = new byte[2 + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code.Value);
        reason.CopyTo(payload.AsSpan(2));
        return payload;
    }

    private CloseDetails CloseDetails() => new()
    {
        ClosedByMe = _closedByMe,
        FailedByMe = _failedByMe,
        DroppedByMe = _droppedByMe,
        WasClean = _wasClean,
        WasNotCleanReason = _wasClean ? null : _wasNotCleanReason,
        WasServerConnectionDropTimeout = _serverDropTimeout,
        WasCloseHandshakeTimeout = _closeHandshakeTimeout,
        LocalCloseCode = _localCloseCode,
        LocalCloseReason = _localCloseReason,
        RemoteCloseCode = _remoteCloseCode,
        RemoteCloseReason = _remoteCloseReason,
    };
}
