namespace Conformance.Cases.Scripting;

/// <summary>What the client's masking keys must not be (RFC 6455 §5.3).</summary>
[Flags]
public enum MaskKeyCheck
{
    None = 0,

    /// <summary>No two frames of the case may share a key: a repeated key is a predictable one.</summary>
    NoRepeats = 1,

    /// <summary>No key may be 00 00 00 00 (the payload would cross the wire as it is).</summary>
    NoZeroKey = 2,
}

/// <summary>
/// Event-list matching (<see cref="Events"/>) plus a check of the masking key of every frame the peer (a client)
/// sent: RFC 6455 §5.3, "The masking key is a 32-bit value chosen at random by the client ... MUST pick a fresh
/// masking key from the set of allowed 32-bit values" and "MUST NOT make it easy for a server to predict it".
/// </summary>
public sealed record ExpectFreshMaskKeys(ExpectEvents Events, MaskKeyCheck Check) : BehaviorRule
{
    public override string Describe() => $"{Events.Describe()}; the client's masking keys: {Check}";

    public override Dictionary<string, IReadOnlyList<string>> ExpectedTexts()
    {
        var texts = Events.ExpectedTexts();
        texts["OK"] = [.. texts["OK"], $"masking keys: {Check}"];
        return texts;
    }
}
