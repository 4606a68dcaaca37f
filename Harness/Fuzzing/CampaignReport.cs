using System.Globalization;
using Conformance.Cases.Fuzzing;
using Conformance.Reports.Model;
using Conformance.Reports.Output;
using Conformance.Reports.Writers;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// A campaign's figures turned into the report model (<see cref="CampaignResult"/>); the writers in Reports render
/// it (<c>fuzz.json</c> by <see cref="CampaignJson"/>, <c>fuzz.html</c> and the findings section of index.html
/// through the templates). Names of kinds, states and violations become text here, at the edge of Reports.
/// </summary>
internal static class CampaignReport
{
    public static CampaignResult Build(CampaignOptions options, Campaign campaign, bool embedded, bool interrupted, bool hasReproductions) => new()
    {
        Seed = options.Seed.ToString(CultureInfo.InvariantCulture),
        GeneratorVersion = FuzzGenerator.Version,
        ShardCount = options.ShardN,
        Shards = [new ShardFigures(options.ShardK, campaign.Counters.Run, campaign.Elapsed.TotalSeconds, interrupted)],
        Count = options.Count,
        DurationSeconds = options.Duration?.TotalSeconds,
        CasesValid = campaign.Counters.Valid,
        NotPassed = campaign.Counters.Findings,
        NotReproduced = campaign.Unreproduced,
        Parallel = options.Parallel,
        TimeoutScale = options.Timers.Scale,
        EmbeddedTarget = embedded,
        Verdicts = campaign.Counters.Verdicts.ToDictionary(StringComparer.Ordinal),
        NotPassedByViolation = campaign.Counters.NotPassedByViolation.ToDictionary(v => v.Key.ToString(), v => v.Value, StringComparer.Ordinal),
        Coverage = new CoverageGrid(Names<FrameKind>(), Names<StreamState>(), Names<ViolationClass>(),
            campaign.Counters.Coverage.ToDictionary(c => CoverageGrid.Key(c.Key.Kind.ToString(), c.Key.State.ToString(), c.Key.Violation.ToString()), c => c.Value, StringComparer.Ordinal)),
        Findings = [.. campaign.Findings.OrderBy(f => f.Origin.Index).Select(f => Finding(f, hasReproductions))],
    };

    /// <summary>Writes <c>fuzz.json</c> at once, before the HTML, so the figures survive a report that cannot be rendered.</summary>
    public static void WriteJson(string outDir, CampaignResult campaign) =>
        AtomicFile.Write(Path.Combine(outDir, CampaignJson.FileName), CampaignJson.Render(campaign));

    private static CampaignFinding Finding(Finding f, bool hasReproduction) => new()
    {
        Agent = f.MinimalResult.Agent,
        CaseId = f.Minimal.Id.Text,
        OriginalCaseId = f.Original.Id.Text,
        Signature = f.Signature,
        OriginalActions = FuzzCase.ActionsOf(f.Original).Count,
        MinimalActions = f.MinimalSteps,
        ShrinkRuns = f.Shrink.Runs,
        Shrunk = f.Shrunk,
        Behavior = f.MinimalResult.Behavior.Label(),
        Close = f.MinimalResult.CloseBehavior.Label(),
        BehaviorReason = f.MinimalResult.BehaviorReason,
        CloseReason = f.MinimalResult.CloseReason,
        FileStem = f.FileStem,
        HasReproduction = hasReproduction,
        Script = [.. FuzzCase.ActionsOf(f.Minimal).Select(step => step.Describe())],
    };

    private static string[] Names<T>()
        where T : struct, Enum => [.. Enum.GetValues<T>().Select(v => v.ToString())];
}
