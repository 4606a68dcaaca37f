using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>The outcome of shrinking: the smallest script found that still fails the same way, and how many reruns it took.</summary>
public sealed record ShrinkResult(IReadOnlyList<Step> Actions, int Runs, int Accepted);

/// <summary>
/// Reduces a failing script to a smaller one that still gives the same verdict and reason (the
/// caller's predicate reruns it through the same runner). Greedy, in the order QuickCheck-style
/// shrinkers try: drop chunks of actions (halves down to single actions), merge two fragments of
/// one message into one frame, then simplify each action (shorter payloads, one write, the minimal length form, no pause). Candidates are tried
/// in batches of <c>parallel</c>; the first in order that still fails wins, and shrinking restarts
/// from it. Bounded by <c>maxRuns</c> reruns.
/// </summary>
public static class Shrinker
{
    public static async Task<ShrinkResult> ShrinkAsync(IReadOnlyList<Step> actions, Func<IReadOnlyList<Step>, CancellationToken, Task<bool>> stillFails, int maxRuns, int parallel, CancellationToken cancel)
    {
        var current = actions;
        int runs = 0;
        int accepted = 0;
        bool progress = true;
        while (progress && runs < maxRuns && !cancel.IsCancellationRequested)
        {
            progress = false;
            foreach (var batch in Candidates(current).Chunk(Math.Max(1, parallel)))
            {
                var tried = batch.Take(maxRuns - runs).ToArray();
                if (tried.Length == 0)
                {
                    break;
                }

                runs += tried.Length;
                var verdicts = await Task.WhenAll(tried.Select(c => stillFails(c, cancel))).ConfigureAwait(false);
                int winner = Array.IndexOf(verdicts, true);
                if (winner >= 0)
                {
                    current = tried[winner];
                    accepted++;
                    progress = true;
                    break;
                }

                if (runs >= maxRuns || cancel.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        return new ShrinkResult(current, runs, accepted);
    }

    /// <summary>Strictly smaller variants of a script, most aggressive first.</summary>
    public static IEnumerable<IReadOnlyList<Step>> Candidates(IReadOnlyList<Step> actions)
    {
        for (int chunk = actions.Count / 2; chunk >= 1; chunk /= 2)
        {
            for (int start = actions.Count - chunk; start >= 0; start -= chunk)
            {
                yield return [.. actions.Take(start), .. actions.Skip(start + chunk)];
            }
        }

        // Two fragments of one message as one frame: the message is the same, the script a step shorter. Dropping a
        // fragment cannot do this when the fragments split a code point or the fragment opens the message.
        for (int i = actions.Count - 2; i >= 0; i--)
        {
            if (Merged(actions[i], actions[i + 1]) is { } merged)
            {
                yield return [.. actions.Take(i), merged, .. actions.Skip(i + 2)];
            }
        }

        for (int i = 0; i < actions.Count; i++)
        {
            foreach (var simpler in Simplify(actions[i]))
            {
                var copy = actions.ToArray();
                copy[i] = simpler;
                yield return copy;
            }
        }
    }

    private static SendFrame? Merged(Step first, Step next)
    {
        if (FrameOf(first) is not { Fin: false, Rsv: 0, Masking: Masking.ByRole } a || !(Protocol.Opcode.IsData(a.Opcode) || a.Opcode == Protocol.Opcode.Continuation)
            || FrameOf(next) is not { Opcode: Protocol.Opcode.Continuation, Rsv: 0, Masking: Masking.ByRole } b)
        {
            return null;
        }

        return new SendFrame(a with { Payload = Payload.Of([.. a.Payload.ToArray(), .. b.Payload.ToArray()]), Fin = b.Fin, LengthEncoding = LengthEncoding.Minimal }, Writing.Whole);
    }

    private static Frame? FrameOf(Step action) => action switch
    {
        SendFrameInParts parts => parts.Frame,
        SendFrame send => send.Frame,
        _ => null,
    };

    private static IEnumerable<Step> Simplify(Step action)
    {
        switch (action)
        {
            case SendFrameInParts parts:
                yield return new SendFrame(parts.Frame, Writing.Whole);
                break;
            case SendFrame send:
                if (send.Writing.Mode != WriteMode.Whole)
                {
                    yield return send with { Writing = Writing.Whole };
                }

                if (send.Frame.LengthEncoding is LengthEncoding.Forced16 or LengthEncoding.Forced64)
                {
                    yield return send with { Frame = send.Frame with { LengthEncoding = LengthEncoding.Minimal } };
                }

                foreach (var shorter in Shorter(send.Frame.Payload))
                {
                    yield return send with { Frame = send.Frame with { Payload = shorter } };
                }

                break;
            case StartClose { Reason.Length: > 0 } close:
                foreach (var shorter in Shorter(close.Reason!))
                {
                    yield return close with { Reason = shorter };
                }

                break;
        }
    }

    /// <summary>Empty, the first half, the last half, one octet less at either end (copied: a shrunk script shows its octets, not views).</summary>
    private static IEnumerable<Payload> Shorter(Payload payload) => ShorterViews(payload).Select(p => Payload.Of(p.ToArray()));

    private static IEnumerable<Payload> ShorterViews(Payload payload)
    {
        long n = payload.Length;
        if (n == 0)
        {
            yield break;
        }

        yield return Payload.Empty;
        if (n >= 4)
        {
            yield return payload.Slice(0, n / 2);
            yield return payload.Slice(n - n / 2, n / 2);
        }

        if (n >= 2)
        {
            yield return payload.Slice(0, n - 1);
            yield return payload.Slice(1, n - 1);
        }
    }
}
