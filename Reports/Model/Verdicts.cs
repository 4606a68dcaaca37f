namespace Conformance.Reports.Model;

/// <summary>Behaviour verdicts, with Autobahn's meanings.</summary>
public enum Behavior
{
    Ok,
    NonStrict,
    Informational,
    Unimplemented,
    Failed,
}

/// <summary>Close verdicts, with Autobahn's meanings (RFC 6455 §7).</summary>
public enum CloseBehavior
{
    Ok,
    Failed,
    Unclean,
    WrongCode,
    FailedByClient,
    Informational,
}

public static class VerdictLabels
{
    public static string Label(this Behavior verdict) => verdict switch
    {
        Behavior.Ok => "OK",
        Behavior.NonStrict => "NON-STRICT",
        Behavior.Informational => "INFORMATIONAL",
        Behavior.Unimplemented => "UNIMPLEMENTED",
        _ => "FAILED",
    };

    public static string Label(this CloseBehavior verdict) => verdict switch
    {
        CloseBehavior.Ok => "OK",
        CloseBehavior.Unclean => "UNCLEAN",
        CloseBehavior.WrongCode => "WRONG CODE",
        CloseBehavior.FailedByClient => "FAILED BY CLIENT",
        CloseBehavior.Informational => "INFORMATIONAL",
        _ => "FAILED",
    };
}

public static class VerdictParsing
{
    public static Behavior ParseBehavior(string? label) => label switch
    {
        "OK" => Behavior.Ok,
        "NON-STRICT" => Behavior.NonStrict,
        "INFORMATIONAL" => Behavior.Informational,
        "UNIMPLEMENTED" => Behavior.Unimplemented,
        _ => Behavior.Failed,
    };

    public static CloseBehavior ParseClose(string? label) => label switch
    {
        "OK" => CloseBehavior.Ok,
        "UNCLEAN" => CloseBehavior.Unclean,
        "WRONG CODE" => CloseBehavior.WrongCode,
        "FAILED BY CLIENT" => CloseBehavior.FailedByClient,
        "INFORMATIONAL" => CloseBehavior.Informational,
        _ => CloseBehavior.Failed,
    };
}
