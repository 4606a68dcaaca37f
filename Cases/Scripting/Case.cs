namespace Conformance.Cases.Scripting;

/// <summary>The strength of the requirement a case checks (RFC 2119).</summary>
public enum Requirement
{
    Must,
    Should,
    May,
    /// <summary>The RFC leaves the behaviour open; the case only records what happened.</summary>
    Informational,
}

/// <summary>Case-specific verdict adjustments of Autobahn's rules.</summary>
[Flags]
public enum CaseFlags
{
    None = 0,
    /// <summary>The tester does not close when the expected events have arrived.</summary>
    NoAutoClose = 1,
    /// <summary>Category 7: a WRONG CODE close verdict also fails the behaviour.</summary>
    WrongCodeFailsBehavior = 2,
    /// <summary>Both verdicts are INFORMATIONAL whatever happens (7.1.6, 7.13.x).</summary>
    Informational = 4,
}

/// <summary>
/// The roles of the implementation under test a case applies to. Testing a server means the tester
/// plays the client; testing a client means the tester plays the server.
/// </summary>
[Flags]
public enum PeerRoles
{
    /// <summary>The case applies when a server is tested (the tester is the client).</summary>
    Server = 1,

    /// <summary>The case applies when a client is tested (the tester is the server).</summary>
    Client = 2,

    Both = Server | Client,
}

/// <summary>
/// One conformance case: what it checks (description, expectation, RFC section, requirement),
/// the script the tester plays, and how what it sees is judged.
/// </summary>
public sealed record Case
{
    public required CaseId Id { get; init; }

    public required string Description { get; init; }

    public required string Expectation { get; init; }

    /// <summary>The RFC and section checked, e.g. "RFC 6455 §5.5.2".</summary>
    public required string RfcSection { get; init; }

    public Requirement Requirement { get; init; } = Requirement.Must;

    public required IReadOnlyList<Step> Script { get; init; }

    public required BehaviorRule Behavior { get; init; }

    public required ExpectedClose Close { get; init; }

    public CaseFlags Flags { get; init; }

    /// <summary>10.1.1: frames per opcode the tester itself must have sent (a self-check of the fragmenter).</summary>
    public IReadOnlyDictionary<byte, int>? ExpectedSentFrames { get; init; }

    /// <summary>The subcategory label (e.g. "Text Messages"), when the catalogue names one.</summary>
    public string? SubcategoryTitle { get; init; }

    /// <summary>permessage-deflate (RFC 7692) negotiation, for the compression categories; null: no extension is offered or accepted.</summary>
    public DeflateSetup? Deflate { get; init; }

    /// <summary>Category 15: what the scripted opening handshake (the script's first step) must come to; null for every other case.</summary>
    public HandshakeRule? Handshake { get; init; }

    /// <summary>
    /// Which implementations the case applies to (default: both). A case about what only one role
    /// does, such as the masking keys a client chooses (11.2.x), is not played against the other.
    /// </summary>
    public PeerRoles Roles { get; init; } = PeerRoles.Both;

    /// <summary>True when the case applies to an implementation in <paramref name="role"/>.</summary>
    public bool AppliesTo(PeerRoles role) => (Roles & role) == role;

    public int Category => Id.Category;

    public override string ToString() => Id.ToString();
}
