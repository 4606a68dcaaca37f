using Conformance.Cases.Scripting;

namespace Conformance.Harness.Running;

/// <summary>What the tester's single writer takes from its queue, in order (spec §0.2: once queued, later writes join the queue).</summary>
internal abstract record Outgoing
{
    /// <summary>
    /// A data frame the case sends after its own close on purpose (7.1.x: does the peer ignore data
    /// after a close?). Any other data frame after the tester's close is not written (RFC 6455 §5.5.1).
    /// </summary>
    public bool AfterOwnClose { get; init; }

    /// <summary>
    /// Queued by a sender that first checked, under the session lock, that the tester had not closed.
    /// Such a frame can still land behind a close decided a moment later; it is then dropped quietly.
    /// A data frame without this check that lands behind the close is a bug in the tester.
    /// </summary>
    public bool CheckedOpen { get; init; }

    public sealed record FrameItem(Frame Frame, Writing Writing) : Outgoing;

    public sealed record MessageItem(SendMessage Message) : Outgoing;

    /// <summary>Octets [Start, End) of a prepared frame, as one write (the header goes with the first part).</summary>
    public sealed record PartItem(PreparedFrame Frame, long Start, long End) : Outgoing;

    /// <summary>A control frame the tester produces itself: pong replies and close frames.</summary>
    public sealed record Control(byte Opcode, byte[] Payload) : Outgoing;

    /// <summary>
    /// The pong answering the latest ping not yet answered (RFC 6455 §5.5.3 allows answering only the
    /// most recent one): at most one is queued, so a ping flood cannot grow the queue.
    /// </summary>
    public sealed record PongReply : Outgoing;

    /// <summary>Completes when everything queued before it has been handed to the socket.</summary>
    public sealed record Flush(TaskCompletionSource Done) : Outgoing;

    public sealed record DropAfterFlush(string Why) : Outgoing;
}
