using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Running;

/// <summary>The run plan: the one place both roles learn which cases an agent plays.</summary>
[TestFixture]
public sealed class RunPlanTests
{
    private static readonly IReadOnlyList<Case> Selected = CaseSelection.Select(CaseCatalogue.All, ["1.1.*"], []);

    private static readonly Dictionary<string, IReadOnlyList<string>> SlowAgentsSkip112 = new() { ["slow-*"] = ["1.1.2"] };

    [Test]
    public void Server_testing_items_are_targets_times_cases_minus_each_agents_exclusions()
    {
        var fast = new ServerTarget("fast", new Uri("ws://127.0.0.1:1/"));
        var slow = new ServerTarget("slow-1", new Uri("ws://127.0.0.1:2/"));
        var plan = RunPlan.ForServers([fast, slow], Selected, SlowAgentsSkip112);

        var items = plan.Items();
        Assert.Multiple(() =>
        {
            Assert.That(items.Where(i => i.Agent == "fast").Select(i => i.Case.Id.Text), Is.EqualTo(Selected.Select(c => c.Id.Text)));
            Assert.That(items.Where(i => i.Agent == "slow-1").Select(i => i.Case.Id.Text), Does.Not.Contain("1.1.2"));
            Assert.That(items.Count, Is.EqualTo(2 * Selected.Count - 1));
            Assert.That(items.Select(i => i.Index), Is.All.EqualTo(0).Or.Matches<int>(n => Selected[n - 1] == items.First(i => i.Index == n).Case), "the index is the position in the selection");
            Assert.That(plan.ExcludedFor(["fast", "slow-1"]), Is.EqualTo(new Dictionary<string, IReadOnlyList<string>> { ["fast"] = [], ["slow-1"] = ["1.1.2"] }));
        });
    }

    [Test]
    public void Client_testing_numbers_cases_by_position_and_excludes_per_agent()
    {
        var plan = RunPlan.ForClients(Selected, SlowAgentsSkip112);
        Assert.Multiple(() =>
        {
            Assert.That(plan.Tested, Is.EqualTo(PeerRoles.Client));
            Assert.That(plan.CasesFor("slow-browser").Select(c => c.Id.Text), Does.Not.Contain("1.1.2"));
            Assert.That(plan.CasesFor("fast"), Is.EqualTo(Selected));
            Assert.That(plan.Items(), Is.Empty, "client testing has no targets: the clients come to the harness");
        });
    }
}
