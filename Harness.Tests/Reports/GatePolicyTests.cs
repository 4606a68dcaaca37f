using Conformance.Reports.Gating;
using Conformance.Reports.Model;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public sealed class GatePolicyTests
{
    private static RunResult Run(params CaseResult[] results) => new(SampleRun.Info, results);

    private static CaseResult Case(string id, Behavior behavior, CloseBehavior close) =>
        SampleRun.Case(SampleRun.Kestrel, id, 1, "Framing", 1, 1000) with { Behavior = behavior, CloseBehavior = close };

    [TestCase(Behavior.Ok, CloseBehavior.Ok, 0, 0)]
    [TestCase(Behavior.NonStrict, CloseBehavior.Ok, 0, 1)]
    [TestCase(Behavior.Informational, CloseBehavior.Informational, 0, 0)]
    [TestCase(Behavior.Unimplemented, CloseBehavior.Ok, 0, 0)]
    [TestCase(Behavior.Ok, CloseBehavior.FailedByClient, 0, 0)]
    [TestCase(Behavior.Ok, CloseBehavior.WrongCode, 0, 1)]
    [TestCase(Behavior.Ok, CloseBehavior.Unclean, 0, 1)]
    [TestCase(Behavior.Failed, CloseBehavior.Ok, 1, 1)]
    [TestCase(Behavior.Ok, CloseBehavior.Failed, 1, 1)]
    [TestCase((Behavior)99, CloseBehavior.Ok, 1, 1)]
    [TestCase(Behavior.Ok, (CloseBehavior)99, 1, 1)]
    public void DefaultAndStrict(Behavior behavior, CloseBehavior close, int defaultExit, int strictExit)
    {
        var run = Run(Case("1.1.1", behavior, close));

        Assert.That(new GatePolicy().Evaluate(run).ExitCode, Is.EqualTo(defaultExit));
        Assert.That(new GatePolicy { Strict = true }.Evaluate(run).ExitCode, Is.EqualTo(strictExit));
    }

    [Test]
    public void ASelectedCaseWithoutAResultFails()
    {
        var run = Run(Case("1.1.1", Behavior.Ok, CloseBehavior.Ok)) with { Selection = [new CatalogueEntry("1.1.2", 1, "Framing", null, "")] };
        var gate = new GatePolicy().Evaluate(run);

        Assert.That(gate.ExitCode, Is.EqualTo(1));
        Assert.That(gate.Missing.Single().CaseId, Is.EqualTo("1.1.2"));
    }

    [Test]
    public void A_client_run_no_client_came_to_fails_with_every_case_not_run_and_junit_lists_them()
    {
        var info = SampleRun.Info with { Mode = "client", Targets = new Dictionary<string, string>() };
        var run = new RunResult(info, []) { Selection = [new CatalogueEntry("1.1.1", 1, "Framing", null, ""), new CatalogueEntry("1.1.2", 1, "Framing", null, "")] };
        var gate = new GatePolicy().Evaluate(run);

        Assert.That(gate.ExitCode, Is.EqualTo(1));
        Assert.That(gate.Describe(), Does.StartWith("exit 1, 0 case(s) failed and 2 not run"));
        Assert.That(gate.Missing.Select(m => (m.Agent, m.CaseId)), Is.EqualTo(new[] { (GatePolicy.NoClient, "1.1.1"), (GatePolicy.NoClient, "1.1.2") }));
        var junit = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(new Conformance.Reports.Writers.JUnitWriter().Render(run, gate)));
        Assert.That(junit.Root!.Attribute("tests")!.Value, Is.EqualTo("2"));
        Assert.That(junit.Root.Attribute("skipped")!.Value, Is.EqualTo("2"));
    }

    [Test]
    public void ABaselineAcceptsKnownVerdictsAndFlagsCasesThatGotBetter()
    {
        var baseline = Baseline.Parse("""
            {
              // comments and trailing commas are fine
              "1.1.1": {"behavior": "FAILED", "behaviorClose": "OK", "reason": "known bug #12"},
              "1.1.2": {"behavior": "FAILED", "behaviorClose": "OK"},
              "1.1.3": {"behavior": "NON-STRICT", "behaviorClose": "OK"},
              "1.1.4": {"behavior": "FAILED", "behaviorClose": "OK"},
            }
            """);
        var run = Run(
            Case("1.1.1", Behavior.Failed, CloseBehavior.Ok),       // as listed
            Case("1.1.2", Behavior.Ok, CloseBehavior.Ok),           // listed as FAILED, now passes: flagged
            Case("1.1.3", Behavior.Failed, CloseBehavior.Ok),       // listed NON-STRICT, now FAILED: fails
            Case("1.1.4", Behavior.Failed, CloseBehavior.Unclean),  // listed, but a different failure: fails
            Case("1.1.5", Behavior.NonStrict, CloseBehavior.Ok));   // not listed, passes the default gate

        var gate = new GatePolicy { Baseline = baseline }.Evaluate(run);

        Assert.That(gate.Failures.Select(f => f.CaseId), Is.EqualTo(new[] { "1.1.3", "1.1.4" }));
        Assert.That(gate.BetterThanBaseline.Select(f => f.CaseId), Is.EqualTo(new[] { "1.1.2" }));
        Assert.That(gate.BetterThanBaseline[0].Why, Does.Contain("tighten"));
        Assert.That(gate.ExitCode, Is.EqualTo(1));
        Assert.That(new GatePolicy { Baseline = baseline, Strict = true }.Evaluate(Run(Case("1.1.3", Behavior.NonStrict, CloseBehavior.Ok))).ExitCode, Is.EqualTo(0), "a listed NON-STRICT passes even when strict");
    }

    [TestCase("[]")]
    [TestCase("{\"1.1.1\": \"FAILED\"}")]
    [TestCase("{\"1.1.1\": {\"behavior\": \"NONSTRICT\"}}")]
    [TestCase("{\"1.1.1\": {\"behaviorClose\": \"CLEAN\"}}")]
    [TestCase("{\"1.1.1\": {\"behavior\": 3}}")]
    [TestCase("{")]
    public void AMalformedBaselineIsRefused(string json) => Assert.Throws<FormatException>(() => Baseline.Parse(json));

    [Test]
    public void ABaselineWrittenFromARunAcceptsThatRun()
    {
        var run = SampleReport.Build();
        var baseline = Baseline.Parse(System.Text.Encoding.UTF8.GetString(Baseline.From(run.Results).ToJson()));

        Assert.That(baseline.Cases.Keys, Is.EquivalentTo(new[] { "6.4.1", "10.1.1" }));
        Assert.That(new GatePolicy { Baseline = baseline, Strict = true }.Evaluate(run with { Selection = [] }).Failures, Is.Empty);
    }
}
