using Conformance.Cases.Fuzzing;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;

namespace Conformance.Harness.Fuzzing;

/// <summary>One write of a script on the wire: the pause before it and its octets (a client's frames, masked with the case's keys).</summary>
internal sealed record WireWrite(double PauseBeforeMs, byte[] Octets);

/// <summary>The octets a script's actions put on the wire, write by write, for the stand-alone reproduction.</summary>
internal static class WireWrites
{
    /// <summary>The key close frames are masked with in reproductions (the runner picks a fresh one).</summary>
    private static readonly byte[] CloseKey = [0x37, 0xFA, 0x21, 0x3D];

    /// <param name="deflate">How the tester compresses (permessage-deflate agreed), for <see cref="SendDeflated"/> actions.</param>
    public static IReadOnlyList<WireWrite> Of(IReadOnlyList<Step> actions, bool testerIsServer = false, DeflateDirection? deflate = null)
    {
        var writes = new List<WireWrite>();
        using var deflater = deflate is null || Wire.Deflate.Zlib.Problem is not null ? null : new Wire.Deflate.RawDeflater(deflate.WindowBits);
        var keys = new MaskKeySource();
        double pause = 0;
        bool joinable = false; // the last write was a "whole" frame the next "whole" frame may share
        foreach (var action in actions)
        {
            switch (action)
            {
                case Pause p:
                    pause += p.Duration.TotalMilliseconds;
                    joinable = false;
                    break;
                case SendFrame send when send.Writing.Mode == WriteMode.Whole:
                    Add(Octets(send.Frame, testerIsServer, keys), join: joinable);
                    joinable = true;
                    break;
                case SendFrame send:
                    var octets = Octets(send.Frame, testerIsServer, keys);
                    int size = send.Writing.Mode == WriteMode.Chopped ? send.Writing.ChopSize : octets.Length;
                    for (int at = 0; at < octets.Length; at += size)
                    {
                        Add(octets[at..Math.Min(octets.Length, at + size)], join: false);
                    }

                    joinable = false;
                    break;
                case SendFrameInParts parts:
                    var all = Octets(parts.Frame, testerIsServer, keys);
                    int headerLength = all.Length - (int)parts.Frame.Payload.Length;
                    int start = 0;
                    for (int i = 0; i < parts.PartLengths.Count && start < all.Length; i++)
                    {
                        int end = Math.Min(all.Length, (i == 0 ? headerLength : start) + parts.PartLengths[i]);
                        Add(all[start..end], join: false);
                        start = end;
                        pause += i < parts.Pauses.Count ? parts.Pauses[i].Duration.TotalMilliseconds : 0;
                    }

                    if (start < all.Length)
                    {
                        Add(all[start..], join: false);
                    }

                    joinable = false;
                    break;
                case SendDeflated deflated when deflater is not null:
                    var payload = DeflatedPayload.Make(deflated, deflater, keepsContext: !deflate!.NoContextTakeover);
                    bool first = true;
                    foreach (var frame in DeflatedPayload.Frames(deflated, payload))
                    {
                        Add(Octets(frame, testerIsServer, keys), join: !first || joinable);
                        if (first)
                        {
                            deflated.Between.ToList().ForEach(control => Add(Octets(control, testerIsServer, keys), join: true));
                        }

                        first = false;
                    }

                    joinable = true;
                    break;
                case StartClose close:
                    Add(Octets(new Frame(Opcode.Close, Payload.Of(CloseFrame.Payload(close.Code, close.Reason))) { MaskKey = CloseKey }, testerIsServer, keys), join: false);
                    break;
                case StartCloseRaw raw:
                    Add(Octets(new Frame(Opcode.Close, raw.RawPayload) { MaskKey = CloseKey }, testerIsServer, keys), join: false);
                    break;
            }
        }

        return writes;

        void Add(byte[] octets, bool join)
        {
            if (join && writes.Count > 0 && pause == 0)
            {
                writes[^1] = writes[^1] with { Octets = [.. writes[^1].Octets, .. octets] };
                return;
            }

            writes.Add(new WireWrite(pause, octets));
            pause = 0;
        }
    }

    private static byte[] Octets(Frame frame, bool testerIsServer, MaskKeySource keys)
    {
        var prepared = PreparedFrame.For(frame, testerIsServer, keys);
        var octets = new byte[prepared.TotalLength];
        prepared.CopyTo(0, octets);
        return octets;
    }
}
