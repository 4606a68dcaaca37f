using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public class GateTests
{
    private static int ExitCode(params CaseResult[] results) => Gate.ExitCode(new RunResult(SampleRun.Info, results));

    private static CaseResult Result(Behavior behavior, CloseBehavior close) =>
        SampleRun.Case("a", "1.1.1", 1, "Framing", 1, 1000) with { Behavior = behavior, CloseBehavior = close };

    [Test]
    public void An_empty_run_passes() => Assert.That(ExitCode(), Is.Zero);

    [Test]
    public void The_sample_run_fails_because_6_4_1_failed() => Assert.That(Gate.ExitCode(SampleRun.Build()), Is.EqualTo(1));

    [TestCase(Behavior.Ok)]
    [TestCase(Behavior.NonStrict)]
    [TestCase(Behavior.Informational)]
    [TestCase(Behavior.Unimplemented)]
    public void Behaviour_other_than_FAILED_passes(Behavior behavior) =>
        Assert.That(ExitCode(Result(behavior, CloseBehavior.Ok)), Is.Zero);

    [TestCase(CloseBehavior.Ok)]
    [TestCase(CloseBehavior.FailedByClient)]
    [TestCase(CloseBehavior.Unclean)]
    [TestCase(CloseBehavior.WrongCode)]
    [TestCase(CloseBehavior.Informational)]
    public void Close_verdicts_other_than_FAILED_pass(CloseBehavior close) =>
        Assert.That(ExitCode(Result(Behavior.Ok, close)), Is.Zero);

    [Test]
    public void One_FAILED_behaviour_among_passes_fails_the_run() =>
        Assert.That(ExitCode(Result(Behavior.Ok, CloseBehavior.Ok), Result(Behavior.Failed, CloseBehavior.Ok)), Is.EqualTo(1));

    [Test]
    public void One_FAILED_close_among_passes_fails_the_run() =>
        Assert.That(ExitCode(Result(Behavior.Ok, CloseBehavior.Ok), Result(Behavior.NonStrict, CloseBehavior.Failed)), Is.EqualTo(1));

    [Test]
    public void An_unknown_verdict_counts_as_FAILED_like_its_label()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ExitCode(Result((Behavior)99, CloseBehavior.Ok)), Is.EqualTo(1));
            Assert.That(ExitCode(Result(Behavior.Ok, (CloseBehavior)99)), Is.EqualTo(1));
        });
    }
}
