using System.Globalization;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>Where a generated script came from: enough to generate it again.</summary>
public sealed record FuzzOrigin(int Version, ulong Seed, long Index)
{
    public string Describe() => $"generator v{Version}, seed {Seed}, case {Index}";
}

/// <summary>
/// A generated (or shrunk, or replayed) script as a <see cref="Case"/> of the ordinary model: the
/// tester's actions wrapped in the catalogue's timers, with the oracle's prediction as its expectation.
/// </summary>
public static class FuzzCase
{
    /// <summary>Generated cases live in category 100, far from the catalogue: 100.X.Y for index X·10⁶ + Y.</summary>
    public const int Category = 100;

    /// <summary>K(2): a peer that should fail the connection and does not is failed by the tester (catalogue: K(1) after short scripts).</summary>
    public static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(2);

    /// <summary>How long the tester lets a peer take a tolerated refusal before it sends a close the peer could answer with the same code.</summary>
    public static readonly TimeSpan RefusalGrace = TimeSpan.FromMilliseconds(250);

    /// <summary>The bound on a whole script, from its first step: only a write that cannot complete reaches it.</summary>
    public static readonly TimeSpan WriteBound = TimeSpan.FromSeconds(10);

    // The one instance of the grace pause, told apart from the script's own pauses by reference when the actions are taken back out.
    private static readonly Pause RefusalPause = new(RefusalGrace);

    /// <summary>C(2): the tester closes if an awaited echo never comes.</summary>
    public static readonly TimeSpan CloseAfter = TimeSpan.FromSeconds(2);

    /// <summary>The shrunk form of a generated case: category 101, the same X.Y.</summary>
    public const int ShrunkCategory = 101;

    public static CaseId ShrunkIdFor(long index) => CaseId.Parse(string.Create(CultureInfo.InvariantCulture, $"{ShrunkCategory}.{index / 1_000_000}.{index % 1_000_000}"));

    public static CaseId IdFor(long index) => CaseId.Parse(string.Create(CultureInfo.InvariantCulture, $"{Category}.{index / 1_000_000}.{index % 1_000_000}"));

    public static Case Generate(ulong seed, long index) =>
        Build(IdFor(index), FuzzGenerator.Actions(seed, index), new FuzzOrigin(FuzzGenerator.Version, seed, index), out _);

    /// <summary>Normalises the actions (nothing after the tester's close; a close 1000 when a valid script has none), predicts, wraps.</summary>
    public static Case Build(CaseId id, IReadOnlyList<Step> actions, FuzzOrigin? origin, out Prediction prediction)
    {
        var normal = Normalise(actions);
        prediction = Oracle.Predict(normal);
        // The catalogue's timer (K or C) is armed once the tester's writes before the first wait for the peer have left
        // (sends are queued): a loaded machine slow to write 1 000 one-octet pieces cannot make a conformant peer look late.
        // A generous K from the start bounds a script stuck in a write to a peer that stopped reading.
        Step timer = prediction.Close.ClosedByTester && prediction.IsValid ? new ArmCloseAfter(CloseAfter) : new ArmKill(KillAfter);
        var script = new List<Step> { new ArmKill(WriteBound) };
        bool armed = false;
        for (int i = 0; i < normal.Count; i++)
        {
            if (i == prediction.CloseAt || (i == prediction.ViolationAt && prediction.CloseAt < 0))
            {
                script.Add(new AwaitWritten());
                script.Add(timer);
                armed = true;

                // Echoes the peer owes are awaited first: after a close a peer need not send data (§5.5.1, §7.1.2), and
                // a peer that fails the connection at a violation may drop echoes its application had not sent yet (§7.1.7).
                script.AddRange(Enumerable.Repeat<Step>(new AwaitMessage(), prediction.EchoesBeforeClose));
                if (i == prediction.CloseAt && prediction.Refusal is { } refusal && refusal.Codes.Intersect(prediction.Close.Codes).Any())
                {
                    // A peer that takes the tolerated refusal must be seen failing before the tester's close: were the
                    // tester's close first, the peer's 1002 could be a refusal or an echo of that close, and no verdict would be defensible.
                    script.Add(RefusalPause);
                }
            }

            script.Add(normal[i]);
        }

        if (!armed)
        {
            script.Add(new AwaitWritten());
            script.Add(timer);
        }

        string from = origin is null ? "" : $" ({origin.Describe()})";
        return new Case
        {
            Id = id,
            Description = $"Generated{from}: {FuzzGenerator.Summary(normal)}.",
            Expectation = prediction.Describe(),
            RfcSection = Violations.Rule(prediction.Violation),
            Script = script,
            Behavior = new ExpectEventsWithLatitude(prediction.Events)
            {
                NonStrictOutcomes = prediction.NonStrict,
                Refusal = prediction.Refusal,
                LargestMessage = prediction.LargestMessage,
                UnfinishedInvalidText = prediction.InvalidTextUnfinished
                    ? "the text message made invalid never ended; a receiver may check a fragmented text message when it ends (NON-STRICT, as in 6.4.x), so one that had not failed it yet answered the tester's close"
                    : null,
                WaitingTolerated = prediction.Violation == ViolationClass.LengthTopBit
                    ? "a length of 2^63 octets or more: RFC 6455 §5.2 binds the sender (the top bit MUST be 0), and a receiver without a size limit may wait for the payload"
                    : null,
            },
            Close = prediction.Close,
            SubcategoryTitle = prediction.IsValid ? "Generated, valid" : $"Generated, {prediction.Violation}",
        };
    }

    /// <summary>The actions of a built case (its timers and waits removed): what the shrinker and the finding files work on.</summary>
    public static IReadOnlyList<Step> ActionsOf(Case @case) =>
        @case.Script.Where(s => s is not (ArmKill or ArmCloseAfter or AwaitMessage or AwaitWritten) && !ReferenceEquals(s, RefusalPause)).ToArray();

    private static List<Step> Normalise(IReadOnlyList<Step> actions)
    {
        var normal = new List<Step>();
        foreach (var action in actions)
        {
            normal.Add(action);
            if (action is StartClose or StartCloseRaw)
            {
                break;
            }
        }

        var prediction = Oracle.Predict(normal);
        if (prediction.IsValid && prediction.CloseAt < 0)
        {
            normal.Add(new StartClose(1000));
        }
        else if (!prediction.IsValid && prediction.CloseAt < 0 && normal.Count > 0 && normal[^1] is StartClose or StartCloseRaw)
        {
            // The peer fails the connection before this close would be read; sending it would race the peer's close.
            normal.RemoveAt(normal.Count - 1);
        }

        return normal;
    }
}
