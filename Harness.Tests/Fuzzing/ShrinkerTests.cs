using Conformance.Cases.Fuzzing;
using Conformance.Cases.Scripting;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>Shrinking on a synthetic failure: the predicate stands in for a rerun through the runner.</summary>
public sealed class ShrinkerTests
{
    /// <summary>"Fails" when a ping carrying the octet 0x42 is followed, later, by a chopped binary frame.</summary>
    private static bool Fails(IReadOnlyList<Step> actions)
    {
        var frames = actions.OfType<SendFrame>().ToArray();
        int ping = Array.FindIndex(frames, f => f.Frame.Opcode == 9 && f.Frame.Payload.ToArray().Contains((byte)0x42));
        return ping >= 0 && frames.Skip(ping + 1).Any(f => f.Frame.Opcode == 2 && f.Writing.Mode == WriteMode.Chopped);
    }

    [Test]
    public async Task A_synthetic_failure_shrinks_to_the_two_actions_that_cause_it()
    {
        var actions = new List<Step>();
        for (int i = 0; i < 20; i++)
        {
            actions.Add(new SendFrame(Frame.Text($"message {i}")));
            actions.Add(new Pause(TimeSpan.FromMilliseconds(1)));
        }

        actions.Insert(7, new SendFrame(Frame.Ping(Payload.Text("xxBxx"))));
        actions.Insert(30, new SendFrame(Frame.Binary(Payload.Repeat(1, 300)), Writing.Chop(3)));
        Assert.That(Fails(actions));

        int runs = 0;
        var result = await Shrinker.ShrinkAsync(actions, (candidate, _) =>
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult(Fails(candidate));
        }, maxRuns: 500, parallel: 4, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Actions, Has.Count.EqualTo(2));
            Assert.That(Fails(result.Actions));
            Assert.That(((SendFrame)result.Actions[0]).Frame.Payload.Length, Is.EqualTo(1), "the ping payload shrinks to the one octet that matters");
            Assert.That(((SendFrame)result.Actions[1]).Frame.Payload.Length, Is.EqualTo(0), "the binary payload shrinks away");
            Assert.That(result.Runs, Is.EqualTo(runs).And.LessThanOrEqualTo(500));
        });
    }

    [Test]
    public async Task Shrinking_stops_at_the_rerun_bound()
    {
        var actions = Enumerable.Range(0, 50).Select(i => (Step)new SendFrame(Frame.Text($"{i}"))).ToArray();
        var result = await Shrinker.ShrinkAsync(actions, (_, _) => Task.FromResult(false), maxRuns: 10, parallel: 3, CancellationToken.None);
        Assert.That(result.Runs, Is.EqualTo(10));
        Assert.That(result.Actions, Is.SameAs(actions));
    }
}
