using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>
/// A reference model of a conformant peer (an echo endpoint): walks the tester's actions as the
/// peer would receive them and predicts its events and its close. Pure; the same for both roles,
/// since every frame is masked by role unless a case breaks that on purpose.
/// </summary>
public static class Oracle
{
    /// <param name="deflate">permessage-deflate is agreed (a case of generator v2 is played only then): RSV1 means a compressed message.</param>
    public static Prediction Predict(IReadOnlyList<Step> actions, bool deflate = false)
    {
        var walk = new OracleWalk(deflate);
        for (int i = 0; i < actions.Count && !walk.Stopped; i++)
        {
            switch (actions[i])
            {
                case SendFrame send:
                    walk.Receive(send.Frame, i);
                    break;
                case SendFrameInParts parts:
                    walk.Receive(parts.Frame, i);
                    break;
                case SendDeflated deflated:
                    walk.ReceiveDeflated(deflated, i);
                    break;
                case StartClose close:
                    walk.Close(CloseFrame.Payload(close.Code, close.Reason), i);
                    break;
                case StartCloseRaw raw:
                    walk.Close(raw.RawPayload.ToArray(), i);
                    break;
            }
        }

        return walk.Result();
    }
}

/// <summary>The payload of a close frame as the runner sends it for a <see cref="StartClose"/>.</summary>
public static class CloseFrame
{
    public static byte[] Payload(ushort? code, Payload? reason) =>
        code is { } c ? [(byte)(c >> 8), (byte)c, .. reason?.ToArray() ?? []] : [];
}
