namespace Conformance.Reports.Model;

/// <summary>
/// How bad a verdict is, on one scale for behaviour and close: 0 OK; 1 reported only (INFORMATIONAL,
/// UNIMPLEMENTED, FAILED BY CLIENT); 2 not strict (NON-STRICT, WRONG CODE, UNCLEAN); 3 FAILED. Unknown values rank as FAILED.
/// </summary>
public static class VerdictRank
{
    public const int Failed = 3;

    public static int Of(Behavior verdict) => Of(verdict.Label());

    public static int Of(CloseBehavior verdict) => Of(verdict.Label());

    /// <summary>The rank of a behaviour or close label as index.json writes it.</summary>
    public static int Of(string label) => label switch
    {
        "OK" => 0,
        "INFORMATIONAL" or "UNIMPLEMENTED" or "FAILED BY CLIENT" => 1,
        "NON-STRICT" or "WRONG CODE" or "UNCLEAN" => 2,
        _ => Failed,
    };
}
