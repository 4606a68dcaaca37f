using Conformance.Cases.Fuzzing;
using Conformance.Cases.Scripting;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>
/// The bookkeeping of fuzz --client's rounds without a client: what <c>/getCaseCount</c> offers in each round, where each
/// result goes, and how reruns a client leaves unplayed end (offered again once, then "not played", never a finding).
/// </summary>
public sealed class ClientRoundsTests
{
    private static readonly Case[] Campaign = [FuzzCase.Generate(1, 0), FuzzCase.Generate(1, 1)];

    private static CaseResult Played(Case offered, int number) =>
        CaseRunner.Result("client", offered, number, new Observations { HandshakeCompleted = true, TesterIsServer = true });

    private static (ClientRounds Rounds, List<CaseResult> Campaign) Start()
    {
        var seen = new List<CaseResult>();
        return (new ClientRounds(Campaign, seen.Add), seen);
    }

    [Test]
    public async Task The_first_round_offers_the_campaign_and_its_results_go_to_the_campaign()
    {
        var (rounds, campaign) = Start();

        await rounds.BeforeCaseCountAsync(CancellationToken.None);
        rounds.OnResult(Played(rounds[1], 2));

        Assert.That(rounds.Select(c => c.Id.Text), Is.EqualTo(Campaign.Select(c => c.Id.Text)));
        Assert.That(campaign.Select(r => r.CaseId), Is.EqualTo(new[] { Campaign[1].Id.Text }));
    }

    [Test]
    public async Task Reruns_are_offered_renamed_in_the_next_round_and_answered_under_their_own_name()
    {
        var (rounds, campaign) = Start();
        rounds.EndCampaign();
        var shrunk = FuzzCase.Build(FuzzCase.ShrunkIdFor(7), FuzzCase.ActionsOf(Campaign[0]), null, out _);
        var first = rounds.RunAsync(shrunk, 8, CancellationToken.None);
        var second = rounds.RunAsync(shrunk, 8, CancellationToken.None);

        Assert.That(rounds, Is.Empty, "nothing is offered before a client's round begins");
        await rounds.BeforeCaseCountAsync(CancellationToken.None);

        Assert.That(rounds.Select(c => c.Id.Text), Is.EqualTo(new[] { "102.1.1", "102.1.2" }), "two candidates with one ID stay apart");
        Assert.That(rounds.Select(c => FuzzCase.ActionsOf(c).Count), Has.All.EqualTo(FuzzCase.ActionsOf(shrunk).Count));
        rounds.OnResult(Played(rounds[1], 2));
        var answer = await second;
        Assert.That((answer.CaseId, answer.CaseIndex), Is.EqualTo((shrunk.Id.Text, 8)));
        Assert.That(first.IsCompleted, Is.False);
        Assert.That(campaign, Is.Empty);
    }

    [Test]
    public async Task A_rerun_left_unplayed_is_offered_once_more_then_comes_back_not_played()
    {
        var (rounds, _) = Start();
        rounds.EndCampaign();
        var rerun = rounds.RunAsync(Campaign[0], 1, CancellationToken.None);
        await rounds.BeforeCaseCountAsync(CancellationToken.None);
        var stale = rounds[0];
        rounds.EndRound();

        await rounds.BeforeCaseCountAsync(CancellationToken.None);
        Assert.That(rounds.Select(c => c.Id.Text), Is.EqualTo(new[] { "102.2.1" }));
        rounds.OnResult(Played(stale, 1)); // a late result of round 1 is not taken for round 2's
        Assert.That(rerun.IsCompleted, Is.False);
        rounds.EndRound();

        var result = await rerun;
        Assert.That(result.Behavior, Is.EqualTo(Behavior.Unimplemented), result.BehaviorReason);
        Assert.That(FindingSignature.IsFinding(result), Is.False);
    }

    [Test]
    public async Task After_giving_up_every_rerun_comes_back_not_played_at_once()
    {
        var (rounds, _) = Start();
        rounds.EndCampaign();
        var waiting = rounds.RunAsync(Campaign[0], 1, CancellationToken.None);

        rounds.GiveUp();

        Assert.That((await waiting).Behavior, Is.EqualTo(Behavior.Unimplemented));
        Assert.That((await rounds.RunAsync(Campaign[1], 2, CancellationToken.None)).Behavior, Is.EqualTo(Behavior.Unimplemented));
    }
}
