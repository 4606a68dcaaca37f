namespace Conformance.Cases.Scripting;

/// <summary>
/// What the opening handshake of a category-15 case must come to. When it is
/// <see cref="HandshakeRule.Established"/>, the rest of the script is played over the connection and judged
/// by the case's usual rules; otherwise the handshake alone decides the verdicts.
/// </summary>
public abstract record HandshakeRule
{
    /// <summary>The words of the RFC the rule rests on, quoted in the verdict's reason.</summary>
    public required string RfcWords { get; init; }

    public abstract string Describe();

    /// <summary>The peer must establish the connection (a server answers 101 with a valid response; a client goes on).</summary>
    public sealed record Established : HandshakeRule
    {
        public override string Describe() => "the connection is established";
    }

    /// <summary>
    /// A server must refuse the request: a 101 is FAILED. A status in <see cref="Ok"/> is OK, another in
    /// <see cref="NonStrict"/> is NON-STRICT (e.g. another 4xx where the RFC says "such as 426"), anything
    /// else (no answer at all included) FAILED. <see cref="VersionField"/> says whether the refusal must carry
    /// <c>Sec-WebSocket-Version: 13</c> (RFC 6455 §4.2.2, §4.4).
    /// </summary>
    public sealed record Refused(StatusSet Ok, StatusSet NonStrict) : HandshakeRule
    {
        public VersionField VersionField { get; init; }

        /// <summary>Why a 101 is not a violation here but only INFORMATIONAL (a server may speak the version asked for, §4.4); null: a 101 is FAILED.</summary>
        public string? UpgradeIsInformational { get; init; }

        public override string Describe() =>
            $"refused: OK {Ok}, NON-STRICT {NonStrict}" + VersionField switch
            {
                VersionField.Required => ", Sec-WebSocket-Version: 13 required",
                VersionField.ForOk => ", Sec-WebSocket-Version: 13 required for OK",
                _ => "",
            } + (UpgradeIsInformational is null ? "" : ", a 101 is INFORMATIONAL");
    }

    /// <summary>A client must fail the connection (RFC 6455 §4.1): FAILED when it goes on, e.g. echoes the message sent next.</summary>
    public sealed record ClientFails : HandshakeRule
    {
        /// <summary>Why a client that goes on is only NON-STRICT (the RFC's client checks do not name the rule); null: FAILED.</summary>
        public string? GoingOnIsNonStrict { get; init; }

        public override string Describe() => "the client fails the connection" + (GoingOnIsNonStrict is null ? "" : ", going on is NON-STRICT");
    }
}

/// <summary>Whether a refusal must name the versions the server speaks (RFC 6455 §4.2.2, §4.4).</summary>
public enum VersionField
{
    /// <summary>Not asked for.</summary>
    None,

    /// <summary>Without <c>Sec-WebSocket-Version: 13</c> the refusal is FAILED.</summary>
    Required,

    /// <summary>Without it the refusal is at best NON-STRICT.</summary>
    ForOk,
}

/// <summary>A set of HTTP status codes: single codes and whole classes (4 for 4xx).</summary>
public sealed record StatusSet(IReadOnlyList<int> Codes, IReadOnlyList<int> Classes)
{
    public static StatusSet None { get; } = new([], []);

    public static StatusSet Of(params int[] codes) => new(codes, []);

    public static StatusSet ClassOf(params int[] classes) => new([], classes);

    public StatusSet And(StatusSet other) => new([.. Codes, .. other.Codes], [.. Classes, .. other.Classes]);

    public bool Contains(int status) => Codes.Contains(status) || Classes.Contains(status / 100);

    public override string ToString()
    {
        var parts = Codes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).Concat(Classes.Select(c => $"{c}xx")).ToArray();
        return parts.Length == 0 ? "none" : string.Join(", ", parts);
    }
}
