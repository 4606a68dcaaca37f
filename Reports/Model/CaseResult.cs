namespace Conformance.Reports.Model;

/// <summary>The outcome of one case against one agent, with everything a reviewer needs to check the verdicts.</summary>
public sealed record CaseResult
{
    public required string Agent { get; init; }

    public required string CaseId { get; init; }

    /// <summary>1-based position of the case in the selected, sorted list.</summary>
    public required int CaseIndex { get; init; }

    public required int Category { get; init; }

    public required string CategoryName { get; init; }

    public string? SubcategoryTitle { get; init; }

    public required string Description { get; init; }

    public required string Expectation { get; init; }

    public string RfcSection { get; init; } = "";

    public string Requirement { get; init; } = "";

    public required Behavior Behavior { get; init; }

    public required string BehaviorReason { get; init; }

    public required CloseBehavior CloseBehavior { get; init; }

    public required string CloseReason { get; init; }

    public required DateTimeOffset Started { get; init; }

    public required double DurationMs { get; init; }

    /// <summary>True when the harness was the server (client testing).</summary>
    public bool TesterIsServer { get; init; }

    public CloseDetails Closing { get; init; } = new();

    /// <summary>Verdict name → expected events, as text.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Expected { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public string ExpectedClose { get; init; } = "";

    /// <summary>What the opening handshake must come to (category 15); empty for a case that does not script its handshake.</summary>
    public string ExpectedHandshake { get; init; } = "";

    public IReadOnlyList<string> Received { get; init; } = [];

    public string HttpRequest { get; init; } = "";

    public string HttpResponse { get; init; } = "";

    public IReadOnlyList<WireEntry> WireLog { get; init; } = [];

    public WireStats Stats { get; init; } = new();

    /// <summary>True for a <see cref="Summary"/>: the wire log, the received events and the handshake texts are left out; the case's JSON file has them.</summary>
    public bool IsSummary { get; init; }

    /// <summary>The JSON file a summary's details are read back from, when it is not where the report's own file names put it (a folder read back or merged).</summary>
    public string? DetailsFile { get; init; }

    /// <summary>
    /// The result without what only the case's own page and JSON file show (the wire log, the received events, the
    /// handshake texts): what a run keeps once the case's JSON file is written, so that its memory does not grow with
    /// the number of cases. Verdicts, reasons, times, closing details and statistics stay for the summary reports;
    /// <see cref="Reading.CaseDetails"/> restores the rest from the file when the case's page is rendered.
    /// </summary>
    public CaseResult Summary() => IsSummary ? this : this with { IsSummary = true, Received = [], HttpRequest = "", HttpResponse = "", WireLog = [] };
}

/// <summary>How the connection ended (Autobahn's closing-behaviour fields).</summary>
public sealed record CloseDetails
{
    public bool ClosedByMe { get; init; }

    public bool FailedByMe { get; init; }

    public bool DroppedByMe { get; init; }

    public bool WasClean { get; init; }

    public string? WasNotCleanReason { get; init; }

    public bool WasServerConnectionDropTimeout { get; init; }

    public bool WasOpenHandshakeTimeout { get; init; }

    public bool WasCloseHandshakeTimeout { get; init; }

    public int? LocalCloseCode { get; init; }

    public string? LocalCloseReason { get; init; }

    public int? RemoteCloseCode { get; init; }

    public string? RemoteCloseReason { get; init; }
}

/// <summary>Octets and frames each way.</summary>
public sealed record WireStats
{
    public long RxOctets { get; init; }

    public long TxOctets { get; init; }

    public IReadOnlyDictionary<int, int> RxFrames { get; init; } = new Dictionary<int, int>();

    public IReadOnlyDictionary<int, int> TxFrames { get; init; } = new Dictionary<int, int>();
}
