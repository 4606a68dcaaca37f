using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Wire.Deflate;

namespace Conformance.Harness.Running;

/// <summary>
/// The octets of a <see cref="SendDeflated"/> message (RFC 7692 §7.2.1): its DEFLATE data in the form the step
/// names, made with the tester's compressor and the agreed context, and the frames it is cut into.
/// </summary>
internal static class DeflatedPayload
{
    /// <summary>RSV1, "Per-Message Compressed" (RFC 7692 §6).</summary>
    private const byte Rsv1 = 4;

    /// <param name="keepsContext">The tester's direction keeps its LZ77 context (no <c>*_no_context_takeover</c> for it); otherwise the compressor forgets each message.</param>
    public static byte[] Make(SendDeflated step, RawDeflater deflater, bool keepsContext)
    {
        var message = step.Message.ToArray();
        bool damaged = step.Damage is DeflateDamage.ReservedBlockType or DeflateDamage.BadStoredLength;
        var blocks = damaged && step.Blocks == DeflateBlocks.Final ? DeflateBlocks.Stored : step.Blocks;
        byte[] data;
        switch (blocks)
        {
            case DeflateBlocks.Compressed:
                data = deflater.Compress(message);
                break;
            case DeflateBlocks.Stored:
                data = StoredBlocks.Encode(message, final: false);
                if (keepsContext)
                {
                    // The peer's window now ends with the message; the compressor's must too, or a later back-reference would miss.
                    deflater.Compress(message);
                }

                break;
            default:
                // After a final block the tester refers to nothing before it (RFC 7692 leaves a sender free not to use its context).
                data = StoredBlocks.Encode(message, final: true);
                break;
        }

        if (!keepsContext || blocks == DeflateBlocks.Final)
        {
            deflater.Reset();
        }

        return damaged ? [.. data, .. StoredBlocks.Defect(step.Damage)] : data;
    }

    /// <summary>The payload cut into <see cref="SendDeflated.Fragments"/> frames of equal size (the last may be shorter or empty); RSV1 on the first, and on the others only as damage.</summary>
    public static IEnumerable<Frame> Frames(SendDeflated step, byte[] payload)
    {
        int count = Math.Max(1, step.Fragments);
        int size = (payload.Length + count - 1) / count;
        for (int i = 0; i < count; i++)
        {
            int start = Math.Min(payload.Length, i * size);
            int end = Math.Min(payload.Length, start + size);
            byte rsv = i == 0 || step.Damage == DeflateDamage.Rsv1OnContinuation ? Rsv1 : (byte)0;
            yield return new Frame(i == 0 ? step.Opcode : Opcode.Continuation, Payload.Of(payload.AsSpan(start, end - start)), Fin: i == count - 1, Rsv: rsv);
        }
    }
}
