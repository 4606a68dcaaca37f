using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Wire.Deflate;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>
/// The compression steps of a script (RFC 7692): messages the tester compresses, the data-set round
/// trips of categories 12/13, and the rule that a case needing the extension ends at once without it.
/// </summary>
internal sealed class DeflateSteps(CaseSession session, ScriptPlayer player)
{
    private DeflateContext Deflate => session.Deflate;

    /// <summary>
    /// Before the script: a case that needs the extension (or a form of it) that was not agreed ends at
    /// once with a close, UNIMPLEMENTED (Autobahn's 12/13 rule). True when the script should not run.
    /// </summary>
    public bool SkipWithoutDeflate()
    {
        if (session.Case.Deflate is not { } setup)
        {
            return false;
        }

        string? why = null;
        if (Deflate.Unavailable is not null)
        {
            why = $"this machine cannot test permessage-deflate: {Deflate.Unavailable}";
        }
        else if (Deflate.Agreement is null && setup.WithoutAgreement == WithoutDeflate.Unimplemented)
        {
            why = $"permessage-deflate was not agreed ({Deflate.Negotiation})";
        }
        else if (Deflate.Agreement is not null && setup.TesterKeepsContext && Deflate.TesterSends!.NoContextTakeover)
        {
            why = $"the peer asked the tester not to keep its compression context ('{Deflate.Agreement.Response}'), so a compressor that keeps it cannot be tested";
        }

        if (why is null)
        {
            return false;
        }

        lock (session.Gate)
        {
            Deflate.Unimplemented = why;
            session.Log.Note(WireDirection.Local, $"{why}: closing ({(Deflate.Unavailable is null ? "UNIMPLEMENTED" : "FAILED")})");
            session.Closing.StartClosing(CloseCodes.Normal, []);
        }

        return true;
    }

    /// <summary>Plays the compression steps: null for a step that is not one of them, false when the script ends here.</summary>
    public async Task<bool?> TryPlayAsync(Step step)
    {
        switch (step)
        {
            case SendCompressed send:
                if (Deflate.Deflater is not { } deflater)
                {
                    // Nothing agreed (a case that plays anyway): the message goes uncompressed, RSV1 clear.
                    return player.Send(new Outgoing.MessageItem(new SendMessage(send.Opcode, send.Message, send.FragmentSize)));
                }

                if (!player.MaySend(out _))
                {
                    return false;
                }

                var message = send.Message.ToArray();
                byte[] payload = deflater.Compress(message);
                if (Deflate.TesterSends!.NoContextTakeover)
                {
                    deflater.Reset();
                }

                EnqueueCompressed(send.Opcode, message.Length, Payload.Of(payload), send.FragmentSize);
                return true;
            case SendDeflated deflated:
                return SendDeflated(deflated);
            case SendDataSetRoundTrips roundTrips:
                await PlayRoundTripsAsync(roundTrips).ConfigureAwait(false);
                return true;
            default:
                return null;
        }
    }

    /// <summary>The fuzzer's compressed message: made in the form it names, cut into its fragments, its control frames after the first.</summary>
    private bool SendDeflated(SendDeflated step)
    {
        // Without an agreement a case of these steps ended before its script (UNIMPLEMENTED).
        if (Deflate.Deflater is not { } deflater || !player.MaySend(out _))
        {
            return false;
        }

        var payload = DeflatedPayload.Make(step, deflater, keepsContext: !Deflate.TesterSends!.NoContextTakeover);
        Deflate.CountSent(step.Message.Length, payload.Length);
        bool first = true;
        foreach (var frame in DeflatedPayload.Frames(step, payload))
        {
            session.Sender.Enqueue(new Outgoing.FrameItem(frame, Writing.Whole) { CheckedOpen = true });
            if (first)
            {
                foreach (var control in step.Between)
                {
                    session.Sender.Enqueue(new Outgoing.FrameItem(control, Writing.Whole) { CheckedOpen = true });
                }
            }

            first = false;
        }

        return true;
    }

    /// <summary>
    /// One message at a time: the next is made only after the echo of the previous one was checked, by which
    /// time its frames have left too, so the message and its payload live in two buffers reused throughout.
    /// </summary>
    private async Task PlayRoundTripsAsync(SendDataSetRoundTrips step)
    {
        var monitor = session.Behavior as DataSetEchoMonitor;
        byte opcode = step.Data.IsText ? Opcode.Text : Opcode.Binary;
        byte[]? message = null;
        byte[]? payload = null;
        for (int i = 0; i < step.Count; i++)
        {
            int length;
            lock (session.Gate)
            {
                if (session.Closing.State != SessionState.Open || session.Stopping.IsCancellationRequested)
                {
                    return;
                }

                length = step.Data.Message(step.Units, i, ref message);
                monitor?.Expect(message!, length, !step.Data.IsText, i + 1);
            }

            int payloadLength = DataSetCompressor.Compress(step.Data, step.Units, i, Deflate.Deflater!, ref payload);
            EnqueueCompressed(opcode, length, Payload.Of(payload!).Slice(0, payloadLength), step.FragmentSize);
            await player.AwaitMessageAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Queues a compressed message: RSV1 on the first frame only, cut as <see cref="SendMessage.Frames"/> cuts (spec §0.3).</summary>
    private void EnqueueCompressed(byte opcode, long appLength, Payload payload, int fragmentSize)
    {
        Deflate.CountSent(appLength, payload.Length);
        bool first = true;
        foreach (var frame in new SendMessage(opcode, payload, fragmentSize).Frames())
        {
            session.Sender.Enqueue(new Outgoing.FrameItem(first ? frame with { Rsv = 4 } : frame, Writing.Whole) { CheckedOpen = true });
            first = false;
        }
    }
}
