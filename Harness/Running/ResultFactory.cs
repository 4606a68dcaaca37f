using Conformance.Cases.Catalogue;
using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>Builds the report model's record of a case from the case, what was observed and the verdicts.</summary>
internal static class ResultFactory
{
    public static CaseResult Build(string agent, Case @case, int index, Observations seen, Verdicts verdicts) => new()
    {
        Agent = agent,
        CaseId = @case.Id.Text,
        CaseIndex = index,
        Category = @case.Category,
        CategoryName = Catalogue.CategoryOf(@case.Category)?.Name ?? "",
        SubcategoryTitle = @case.SubcategoryTitle,
        Description = @case.Description,
        Expectation = @case.Expectation,
        RfcSection = @case.RfcSection,
        Requirement = @case.Requirement.ToString().ToUpperInvariant(),
        Behavior = verdicts.Behavior,
        BehaviorReason = verdicts.BehaviorReason,
        CloseBehavior = verdicts.Close,
        CloseReason = verdicts.CloseReason,
        Started = seen.Started,
        DurationMs = Math.Round(seen.DurationMs, 1),
        TesterIsServer = seen.TesterIsServer,
        Closing = seen.Closing,
        Expected = ExpectedOf(@case),
        ExpectedClose = @case.Close.Describe(),
        Received = seen.Events.Select(e => e.Describe()).ToArray(),
        HttpRequest = seen.HttpRequest,
        HttpResponse = seen.HttpResponse,
        WireLog = seen.WireLog,
        Stats = new WireStats { RxOctets = seen.RxOctets, TxOctets = seen.TxOctets, RxFrames = seen.RxFrames, TxFrames = seen.TxFrames },
    };

    private static Dictionary<string, IReadOnlyList<string>> ExpectedOf(Case @case) => @case.Behavior switch
    {
        ExpectEventsWithLatitude e => new() { ["OK"] = Texts(e.Ok), ["NON-STRICT"] = [.. e.NonStrictOutcomes.Select(ns => string.Join("; ", Texts(ns)))] },
        ExpectEvents e when e.NonStrict is { } ns => new() { ["OK"] = Texts(e.Ok), ["NON-STRICT"] = Texts(ns) },
        ExpectEvents e => new() { ["OK"] = Texts(e.Ok) },
        ExpectEchoes e => new() { ["OK"] = [CaseDefinition.DescribeRule(e)] },
        ExpectDataSetEchoes e => new() { ["OK"] = [e.ToString()] },
        _ => new(),
    };

    private static string[] Texts(IReadOnlyList<Event> events) => events.Select(e => e.Describe()).ToArray();
}
