using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using NUnit.Framework;
using static Conformance.Tests.Hostile.HostileClient;

namespace Conformance.Tests.Hostile;

/// <summary>
/// Issue 13.1, 13.2 and the /stopServer part of 13.10: <c>/getCaseStatus</c> as an attacker uses it. A question about
/// a case nobody plays is answered "not run yet" within a bound the timer scale sets; waiters have a budget of their
/// own and cannot lock <c>/runCase</c> out; a question leaves no state behind; stopping answers every waiter.
/// </summary>
public sealed class StatusQuestionTests
{
    private static readonly string NotRunYet = $"{{\"behavior\": \"{ControlEndpoints.NotRunYet}\"}}";

    [Test]
    public async Task A_question_about_a_case_nobody_plays_is_answered_not_run_yet_within_the_scaled_grace()
    {
        var timers = new Timers { Scale = 0.2 };
        await using var server = Start(timers);
        var bound = timers.Scaled(ControlEndpoints.StatusGrace);

        var (text, took) = await AskAsync(server.Port, "/getCaseStatus?case=1&agent=nobody", bound + Slack);

        Assert.That(text, Is.EqualTo(NotRunYet));
        Assert.That(took, Is.LessThan(bound + Slack), $"the grace is {bound.TotalSeconds} s at scale {timers.Scale}");
        Assert.That(took, Is.GreaterThanOrEqualTo(bound * 0.9), "the question waited for the case to start and end");
    }

    [Test]
    public async Task Waiters_have_their_own_budget_and_cannot_lock_runCase_out()
    {
        const int Cap = 4;
        await using var server = Start(tune: o => o with { MaxConnections = Cap, MaxStatusWaiters = Cap });

        // Twice the connection cap of waiters, one after another: the first Cap wait (5 s) outside the connection
        // count, the rest are past the waiters' budget and are answered at once.
        var waiters = new List<Task<(string? Text, TimeSpan Took)>>();
        for (int i = 0; i < 2 * Cap; i++)
        {
            var opened = new TaskCompletionSource();
            waiters.Add(AskAsync(server.Port, $"/getCaseStatus?case=1&agent=w{i}", TimeSpan.FromSeconds(30), opened));
            await opened.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(50);
        }

        string head = await RunCaseAsync(server.Port, 1, "runner");
        var answers = await Task.WhenAll(waiters);

        Assert.That(head, Does.StartWith("HTTP/1.1 101"), "a /runCase gets in while the waiters wait");
        Assert.That(answers.Select(a => a.Text), Is.All.EqualTo(NotRunYet));
        Assert.That(answers.Count(a => a.Took < TimeSpan.FromSeconds(2)), Is.GreaterThanOrEqualTo(Cap), "past the waiters' budget a question is answered at once");
        Assert.That(server.Results.Single().Agent, Is.EqualTo("runner"));
    }

    [Test]
    public async Task A_question_for_a_case_being_played_waits_for_its_result()
    {
        await using var server = Start();
        var run = RunCaseAsync(server.Port, 1, "player");
        await Task.Delay(50);
        var (text, _) = await AskAsync(server.Port, "/getCaseStatus?case=1&agent=player", TimeSpan.FromSeconds(30));
        await run;

        Assert.That(text, Is.EqualTo("{\"behavior\": \"OK\"}"));
    }

    [Test]
    public async Task Questions_about_agents_that_ran_nothing_leave_no_state_over_the_wire()
    {
        var timers = new Timers { Scale = 0.01 };
        await using var server = Start(timers);
        for (int i = 0; i < 200; i += 20)
        {
            await Task.WhenAll(Enumerable.Range(i, 20).Select(n => AskAsync(server.Port, $"/getCaseStatus?case={1 + (n % 16)}&agent=ghost{n}", Slack)));
        }

        Assert.That(server.Agents, Is.Empty, "asking registers no agent");
        Assert.That(server.Results, Is.Empty);
    }

    [Test]
    public async Task A_hundred_thousand_questions_about_different_agents_keep_no_memory()
    {
        // The board is what a question touches; over the wire 100 000 questions would take minutes, so they are put
        // to it directly. Before the fix each left a ~1 KB waiter behind (86 -> 198 MB).
        const int Questions = 100_000;
        var board = new ResultsBoard();
        var answered = Task.CompletedTask;
        await board.WaitForAsync("warm-up", "1.1.1", TimeSpan.Zero, answered, CancellationToken.None);
        long before = GC.GetTotalMemory(forceFullCollection: true);

        for (int i = 0; i < Questions; i++)
        {
            var result = await board.WaitForAsync($"agent {i}", $"1.1.{1 + (i % 8)}", TimeSpan.FromSeconds(10), answered, CancellationToken.None);
            Assert.That(result, Is.Null);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        TestContext.Out.WriteLine($"managed heap: {before / 1e6:F1} MB before, {after / 1e6:F1} MB after {Questions} questions");
        Assert.That(board.PendingQuestions, Is.Zero);
        Assert.That(board.Agents, Is.Empty);
        Assert.That(after - before, Is.LessThan(4L * 1024 * 1024), "well under 1 KB per question (100 MB before the fix)");
    }

    [Test]
    public async Task Stopping_the_server_answers_every_waiter()
    {
        await using var server = Start(); // the grace is 5 s: the waiters are still waiting when the stop comes
        var waiters = Enumerable.Range(0, 3).Select(i => AskAsync(server.Port, $"/getCaseStatus?case=2&agent=w{i}", TimeSpan.FromSeconds(30))).ToArray();
        await Task.Delay(300);
        var (stop, _) = await AskAsync(server.Port, "/stopServer", TimeSpan.FromSeconds(10));
        await server.StopRequested.WaitAsync(TimeSpan.FromSeconds(10));
        var stopping = server.DisposeAsync().AsTask();
        var answers = await Task.WhenAll(waiters);
        await stopping;

        Assert.That(stop, Is.Null, "/stopServer sends nothing, then closes");
        Assert.That(answers.Select(a => a.Text), Is.All.EqualTo(NotRunYet));
        Assert.That(answers.Select(a => a.Took), Is.All.LessThan(ControlEndpoints.StatusGrace), "answered by the stop, not by the grace running out");
    }

    [Test]
    public void A_result_posted_while_waiting_reaches_the_waiter_and_the_entry_is_gone()
    {
        var board = new ResultsBoard();
        var waiting = board.WaitForAsync("a", "1.1.1", TimeSpan.FromSeconds(30), new TaskCompletionSource().Task, CancellationToken.None);
        Assert.That(board.PendingQuestions, Is.EqualTo(1));

        board.Post(Tests.Reports.SampleRun.Case("a", "1.1.1", 1, "Framing", 1, 1000), _ => { });

        Assert.That(waiting.Wait(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(waiting.Result?.Behavior, Is.EqualTo(Behavior.Ok));
        Assert.That(board.PendingQuestions, Is.Zero);
    }
}
