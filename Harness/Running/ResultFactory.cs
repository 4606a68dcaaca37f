using Conformance.Cases.Catalogue;
using Conformance.Cases.Scripting;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>Builds the report model's record of a case from the case, what was observed and the verdicts.</summary>
internal static class ResultFactory
{
    public static CaseResult Build(string agent, Case @case, int index, Observations seen, Verdicts verdicts)
    {
        // Category 15: when the handshake must not establish the connection it alone decides both verdicts, so the
        // script's events and close (never reached) are not what the case expects.
        bool handshakeDecides = @case.Handshake is not (null or HandshakeRule.Established);
        return Build(agent, @case, index, seen, verdicts, handshakeDecides);
    }

    private static CaseResult Build(string agent, Case @case, int index, Observations seen, Verdicts verdicts, bool handshakeDecides) => new()
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
        Expected = handshakeDecides ? new Dictionary<string, IReadOnlyList<string>>() : @case.Behavior.ExpectedTexts(),
        ExpectedClose = handshakeDecides ? "" : @case.Close.Describe(),
        ExpectedHandshake = @case.Handshake is { } rule ? rule.Describe() + (handshakeDecides ? " (the handshake alone decides both verdicts)" : "") : "",
        Received = seen.Events.Select(e => e.Describe()).ToArray(),
        HttpRequest = seen.HttpRequest,
        HttpResponse = seen.HttpResponse,
        WireLog = seen.WireLog,
        Stats = new WireStats { RxOctets = seen.RxOctets, TxOctets = seen.TxOctets, RxFrames = seen.RxFrames, TxFrames = seen.TxFrames },
    };
}
