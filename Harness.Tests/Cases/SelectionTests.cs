using Conformance.Cases;
using Conformance.Cases.Scripting;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Cases;

public sealed class SelectionTests
{
    private static readonly Case[] Sample =
        [.. new[] { "10.1.1", "6.19.1", "2.10", "1.1.2", "6.1.10", "6.2.1", "1.1.1", "2.1", "6.10.1", "12.1.1", "6.1.1" }.Select(Make)];

    [TestCase("6.1*", new[] { "6.1.1", "6.1.10", "6.10.1", "6.19.1" })]
    [TestCase("1*", new[] { "1.1.1", "1.1.2", "10.1.1", "12.1.1" })]
    [TestCase("1.*", new[] { "1.1.1", "1.1.2" })]
    [TestCase("6.*.1", new[] { "6.1.1", "6.1.10", "6.2.1", "6.10.1", "6.19.1" })]
    [TestCase("*", new[] { "1.1.1", "1.1.2", "2.1", "2.10", "6.1.1", "6.1.10", "6.2.1", "6.10.1", "6.19.1", "10.1.1", "12.1.1" })]
    [TestCase("2.1", new[] { "2.1" })]
    [TestCase("6.1", new string[0])]
    public void WildcardsAreAnchoredAtTheStartOnly_LiteralsMatchExactly(string pattern, string[] expected)
    {
        var selected = CaseSelection.Select(Sample, [pattern], []);

        Assert.That(selected.Select(c => c.Id.Text), Is.EqualTo(expected));
    }

    [TestCase("6.*", "60.1", false)]
    [TestCase("6.*", "6.4.1", true)]
    [TestCase("2.1", "2.10", false)]
    [TestCase("2.1", "2.1.1", false)]
    [TestCase("*.1", "7.1.6", true)]
    [TestCase("7.*.6", "7.1.5", false)]
    public void Matches(string pattern, string id, bool expected) =>
        Assert.That(CaseSelection.Matches(pattern, id), Is.EqualTo(expected));

    [Test]
    public void ExcludedCasesAreRemoved()
    {
        var selected = CaseSelection.Select(Sample, ["*"], ["6.*", "1*"]);

        Assert.That(selected.Select(c => c.Id.Text), Is.EqualTo(new[] { "2.1", "2.10" }));
    }

    [Test]
    public void OverlappingPatternsAndDuplicateCasesGiveEachCaseOnceInNumericOrder()
    {
        var selected = CaseSelection.Select([.. Sample, Make("2.1")], ["2.10", "2.*", "10.1.1", "1.1.*", "1.1.2"], []);

        Assert.That(selected.Select(c => c.Id.Text), Is.EqualTo(new[] { "1.1.1", "1.1.2", "2.1", "2.10", "10.1.1" }));
    }

    [Test]
    public void DefaultSelectionNumbersCasesAsAutobahnDoes()
    {
        var selected = CaseSelection.Select(CaseCatalogue.All, ["*"], []);

        Assert.That(selected[0].Id.Text, Is.EqualTo("1.1.1"));
        Assert.That(selected[16].Id.Text, Is.EqualTo("2.1"));
        Assert.That(selected[27].Id.Text, Is.EqualTo("3.1"));
        Assert.That(selected[34].Id.Text, Is.EqualTo("4.1.1"));
        Assert.That(selected[44].Id.Text, Is.EqualTo("5.1"));
    }

    [TestCase("AutobahnPython/0.10.9", "6.4.1", true)]
    [TestCase("AutobahnPython/0.10.9", "7.1.1", false)]
    [TestCase("MyAutobahnPython/0.10.9", "6.4.1", false)]
    [TestCase("Chrome/1.0", "2.1", true)]
    [TestCase("Chrome/1.0", "2.10", false)]
    [TestCase("Chrome/1.0 beta", "2.1", false)]
    [TestCase("Chrome/1x0", "2.1", false)]
    [TestCase("tungstenite (rust)", "9.1.1", true)]
    [TestCase("tungstenite (rust)", "19.1.1", false)]
    public void PerAgentExclusionsAreAnchoredAtBothEnds(string agent, string id, bool expected)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>
        {
            ["AutobahnPython*"] = ["6.*"],
            ["Chrome/1.0"] = ["2.1", "5.*"],
            ["*(rust)"] = ["9.*"],
        };

        Assert.That(CaseSelection.IsExcludedForAgent(agent, CaseId.Parse(id), map), Is.EqualTo(expected));
    }

    [Test]
    public void UnknownLiteralPatternsAreReported()
    {
        var unknown = CaseSelection.UnknownPatterns(Sample, ["1.1.1", "1.1.99", "14.*", "6.1*", "bogus", "1.1.99", "2.1.1"]);

        Assert.That(unknown, Is.EqualTo(new[] { "1.1.99", "bogus", "2.1.1" }));
    }

    [Test]
    public void UnknownPatternsAgainstTheCatalogue()
    {
        var unknown = CaseSelection.UnknownPatterns(CaseCatalogue.All, ["5.19", "11.1.1", "16.1.1", "8.1", "15.*", "12.1.1"]);

        Assert.That(unknown, Is.EqualTo(new[] { "16.1.1", "8.1" }));
    }

    [TestCase("1.*,5.2", new[] { "1.*", "5.2" })]
    [TestCase(" 1.* , 5.2 ,, ", new[] { "1.*", "5.2" })]
    [TestCase("6.4.1", new[] { "6.4.1" })]
    [TestCase("", new string[0])]
    [TestCase(null, new string[0])]
    public void SplitPatterns(string? text, string[] expected) =>
        Assert.That(CaseSelection.SplitPatterns(text), Is.EqualTo(expected));

    private static Case Make(string id) => new()
    {
        Id = id,
        Description = "d",
        Expectation = "e",
        RfcSection = "RFC 6455",
        Script = [],
        Behavior = ExpectEvents.Nothing,
        Close = ExpectedClose.TesterCloses,
    };
}
