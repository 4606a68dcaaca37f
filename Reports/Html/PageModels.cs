namespace Conformance.Reports.Html;

// View models: everything a template prints, already computed. Optional parts are lists of zero or one
// item, so templates need no conditionals.

public sealed record KeyValue(string Key, string Value);

public sealed record StyleRule(string Class, string Background, string Foreground);

public sealed record LegendItem(string Class, string Text, string Label, string Meaning);

public sealed record LegendRow(LegendItem Behavior, LegendItem Close);

public sealed record NavLink(string Href, string Text);

/// <summary>index.html and failures.html: run facts, counts, and the agents × cases matrix.</summary>
public sealed record IndexPage
{
    public required string Title { get; init; }

    public required string Intro { get; init; }

    public required IReadOnlyList<NavLink> Views { get; init; }

    public required IReadOnlyList<KeyValue> Meta { get; init; }

    public required IReadOnlyList<KeyValue> Targets { get; init; }

    public required IReadOnlyList<KeyValue> Options { get; init; }

    public required IReadOnlyList<StyleRule> Styles { get; init; }

    public required IReadOnlyList<LegendRow> Legend { get; init; }

    public required IReadOnlyList<AgentSummary> Summaries { get; init; }

    /// <summary>Verdict shares and time per category: one picture per agent, or one for all agents of a large run.</summary>
    public required IReadOnlyList<Charts.Figure> Charts { get; init; }

    public required IReadOnlyList<MatrixGroup> Groups { get; init; }

    /// <summary>Shown instead of the matrix when it has no rows.</summary>
    public required IReadOnlyList<string> EmptyNote { get; init; }

    public required IReadOnlyList<FindingRow> Findings { get; init; }

    /// <summary>The fuzzing campaign's figures, findings and coverage (index.html of a campaign; zero items otherwise).</summary>
    public IReadOnlyList<CampaignSection> Campaign { get; init; } = [];
}

/// <summary>performance.html: the pictures of categories 9, 12 and 13.</summary>
public sealed record PerformancePage
{
    public required string Title { get; init; }

    public required string Intro { get; init; }

    public required IReadOnlyList<NavLink> Views { get; init; }

    public required IReadOnlyList<StyleRule> Styles { get; init; }

    public required IReadOnlyList<Charts.Figure> Figures { get; init; }
}

public sealed record AgentSummary(string Agent, IReadOnlyList<SummaryCell> Columns, IReadOnlyList<SummaryRow> Rows, IReadOnlyList<SummaryRow> Total);

public sealed record SummaryRow(string Category, string Name, IReadOnlyList<SummaryCell> Cells, string Seconds);

/// <summary>A count; <c>Class</c> colours it when it is not zero.</summary>
public sealed record SummaryCell(string Text, string Class);

/// <summary>One category of the matrix: its header row (repeating the agent names) and its sections.</summary>
public sealed record MatrixGroup(string Title, string Anchor, IReadOnlyList<string> Agents, IReadOnlyList<MatrixSection> Sections);

/// <summary>Rows under one subcategory title (none for categories without titles).</summary>
public sealed record MatrixSection(IReadOnlyList<string> Titles, int Span, IReadOnlyList<MatrixRow> Rows);

public sealed record MatrixRow(string Id, string Anchor, string Description, IReadOnlyList<MatrixCell> Cells);

/// <summary>A result or close cell; Missing and Unimplemented span both columns of the agent.</summary>
public sealed record MatrixCell(string Class, int Span, string Text, string Href, string Tooltip);

/// <summary>A case that did not pass, with its reasons, on the failures page.</summary>
public sealed record FindingRow(string Agent, string CaseId, string Href, string Behavior, string BehaviorClass, string Close, string CloseClass, string Gate, IReadOnlyList<string> Reasons);

/// <summary>&lt;agent&gt;_case_&lt;id&gt;.html: one case against one agent, everything needed to check its verdicts.</summary>
public sealed record CasePage
{
    public required string Title { get; init; }

    public required string Heading { get; init; }

    public required string HeadingClass { get; init; }

    public required IReadOnlyList<NavLink> Links { get; init; }

    public required IReadOnlyList<StyleRule> Styles { get; init; }

    public required IReadOnlyList<KeyValue> Facts { get; init; }

    public required IReadOnlyList<VerdictLine> Verdicts { get; init; }

    public required IReadOnlyList<EventList> Expected { get; init; }

    /// <summary>What the opening handshake must come to (category 15); zero or one item.</summary>
    public required IReadOnlyList<string> ExpectedHandshake { get; init; }

    /// <summary>How the connection must end; zero items when the handshake alone decides the case.</summary>
    public required IReadOnlyList<string> ExpectedClose { get; init; }

    public required IReadOnlyList<string> Received { get; init; }

    public required IReadOnlyList<ClosingRow> Closing { get; init; }

    public required string HttpRequest { get; init; }

    public required string HttpResponse { get; init; }

    public required IReadOnlyList<KeyValue> Stats { get; init; }

    public required IReadOnlyList<WireRow> WireLog { get; init; }

    public required string WireLogNote { get; init; }

    public required string Rerun { get; init; }
}

public sealed record VerdictLine(string Aspect, string Label, string Class, string Reason);

public sealed record EventList(string Verdict, IReadOnlyList<string> Events);

public sealed record ClosingRow(string Key, string Value, string Meaning);

/// <summary>A wire-log line: a frame (<c>Frame</c> has one item) or a note (<c>Note</c> has one item).</summary>
public sealed record WireRow(string Number, string Time, string Direction, string Class, IReadOnlyList<WireFrameCells> Frame, IReadOnlyList<string> Note);

public sealed record WireFrameCells(string Fin, string Rsv, string Opcode, string Mask, string Length, string Text, string Hex, IReadOnlyList<string> CutNote);

/// <summary>fuzz.html: a fuzzing campaign on its own page (the same section index.html shows, plus its counts).</summary>
public sealed record CampaignPage
{
    public required string Title { get; init; }

    public required IReadOnlyList<NavLink> Views { get; init; }

    public required IReadOnlyList<StyleRule> Styles { get; init; }

    /// <summary>One item: the campaign (a list so the <c>_campaign</c> partial reads the same on both pages).</summary>
    public required IReadOnlyList<CampaignSection> Campaign { get; init; }
}

/// <summary>A campaign's figures, findings and coverage grid, as the <c>_campaign</c> partial prints them.</summary>
public sealed record CampaignSection(
    IReadOnlyList<KeyValue> Figures,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<CampaignFindingView> Findings,
    IReadOnlyList<string> NoFindings,
    CoverageTable Coverage,
    IReadOnlyList<KeyValue> Verdicts,
    IReadOnlyList<KeyValue> NotPassedByViolation,
    IReadOnlyList<ShardRow> Shards);

/// <summary>One finding: its verdicts and reasons, how far it shrank, the links, and the minimal script.</summary>
public sealed record CampaignFindingView(
    string Anchor,
    string CaseId,
    string Href,
    string Agent,
    string Behavior,
    string BehaviorClass,
    string Close,
    string CloseClass,
    IReadOnlyList<string> Reasons,
    string Shrink,
    string Signature,
    IReadOnlyList<NavLink> Links,
    IReadOnlyList<string> Script);

/// <summary>The coverage grid: a row per frame kind × receiver state, a column per violation class.</summary>
public sealed record CoverageTable(string Summary, IReadOnlyList<string> Columns, IReadOnlyList<CoverageRow> Rows);

public sealed record CoverageRow(string Label, IReadOnlyList<SummaryCell> Cells);

public sealed record ShardRow(string Shard, string Cases, string Seconds, string Rate, string Note);
