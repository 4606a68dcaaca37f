using Conformance.Reports.Model;

namespace Conformance.Tests.Reports;

/// <summary>A hand-made fuzzing campaign: shard 2 of 3 of seed 42, two findings (one not shrunk, one with hostile text from the peer).</summary>
internal static class SampleCampaign
{
    public const string HostileReason = "close reason <script>alert('x')</script>\u0007 & <b>bold</b>";

    public static readonly string[] Kinds = ["Text", "Ping"];
    public static readonly string[] States = ["Idle", "InTextMessage"];
    public static readonly string[] Violations = ["None", "ReservedBits", "InvalidUtf8"];

    public static CampaignResult Shard(int k, long run, double seconds, IReadOnlyDictionary<string, long> cells, params CampaignFinding[] findings) => new()
    {
        Seed = "42",
        GeneratorVersion = 1,
        ShardCount = 3,
        Shards = [new ShardFigures(k, run, seconds, Interrupted: false)],
        Count = 300,
        CasesValid = run / 2,
        NotPassed = findings.Length,
        NotReproduced = 1,
        Parallel = 8,
        Verdicts = new Dictionary<string, long> { ["OK / OK"] = run - findings.Length, ["FAILED / OK"] = findings.Length },
        NotPassedByViolation = new Dictionary<string, long> { ["InvalidUtf8"] = findings.Length },
        Coverage = new CoverageGrid(Kinds, States, Violations, cells),
        Findings = findings,
    };

    public static CampaignResult Build() => Shard(2, 100, 4.0,
        new Dictionary<string, long> { ["Text/Idle/None"] = 80, ["Text/InTextMessage/InvalidUtf8"] = 3, ["Ping/Idle/ReservedBits"] = 1 },
        Finding(SampleRun.Kestrel, "101.0.5", "100.0.5", HostileReason),
        Finding(SampleRun.Kestrel, "101.0.14", "100.0.14", "peer did not fail") with { Shrunk = false, OriginalActions = 3, MinimalActions = 3, ShrinkRuns = 0, HasReproduction = false });

    public static CampaignFinding Finding(string agent, string caseId, string original, string closeReason) => new()
    {
        Agent = agent,
        CaseId = caseId,
        OriginalCaseId = original,
        Signature = "FAILED/OK/invalid UTF-8 <accepted>",
        OriginalActions = 7,
        MinimalActions = 2,
        ShrinkRuns = 31,
        Behavior = "FAILED",
        Close = "OK",
        BehaviorReason = "the peer echoed invalid UTF-8 instead of failing: <i>ce</i>\u202E",
        CloseReason = closeReason,
        FileStem = caseId.Replace('.', '_'),
        HasReproduction = true,
        Script = ["send TEXT fin=0 payload=ce <b>", "send CONT fin=1 payload=ba80 [chop=1]"],
    };
}
