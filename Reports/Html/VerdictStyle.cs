using Conformance.Reports.Model;

namespace Conformance.Reports.Html;

/// <summary>How a verdict looks in HTML: its CSS class, colours and short text, with Autobahn|Testsuite's meanings.</summary>
public sealed record VerdictStyle(string Class, string Background, string Foreground, string Text, string Label, string Meaning)
{
    public static readonly VerdictStyle Pass = new("b-ok", "#0a0", "#fff", "Pass", "OK", "behaved as the RFC requires");
    public static readonly VerdictStyle NonStrict = new("b-ns", "#9a0", "#fff", "Non-Strict", "NON-STRICT", "acceptable, but a stricter behaviour is preferred (a SHOULD not followed)");
    public static readonly VerdictStyle Info = new("b-info", "#4095BF", "#fff", "Info", "INFORMATIONAL", "the RFC leaves it open; reported for information");
    public static readonly VerdictStyle Fail = new("b-fail", "#900", "#fff", "Fail", "FAILED", "violates the RFC");
    public static readonly VerdictStyle Unimplemented = new("b-unimpl", "#800080", "#fff", "Unimplemented", "UNIMPLEMENTED", "an optional feature the target does not offer");
    public static readonly VerdictStyle Missing = new("b-missing", "#a05a2c", "#fff", "Missing", "MISSING", "selected but not run (no result)");

    public static readonly VerdictStyle CloseOk = new("c-ok", "#0a0", "#fff", "code", "OK", "closed as expected; the cell shows the peer's close code (or None)");
    public static readonly VerdictStyle CloseFailedByClient = new("c-fbc", "#6d6", "#000", "code", "FAILED BY CLIENT", "the tester had to close TCP; RFC 6455 §7.1.1 prefers the server to");
    public static readonly VerdictStyle CloseWrongCode = new("c-wrong", "#9a0", "#fff", "code", "WRONG CODE", "the peer closed with a code the case does not expect");
    public static readonly VerdictStyle CloseUnclean = new("c-unclean", "#900", "#fff", "Unclean", "UNCLEAN", "no complete closing handshake");
    public static readonly VerdictStyle CloseInfo = new("c-info", "#4095BF", "#fff", "code", "INFORMATIONAL", "reported for information");
    public static readonly VerdictStyle CloseFail = new("c-fail", "#900", "#fff", "Fail", "FAILED", "the wrong side closed, or the handshake never completed");

    public static IReadOnlyList<VerdictStyle> BehaviorStyles { get; } = [Pass, NonStrict, Info, Unimplemented, Fail, Missing];

    public static IReadOnlyList<VerdictStyle> CloseStyles { get; } = [CloseOk, CloseFailedByClient, CloseWrongCode, CloseUnclean, CloseInfo, CloseFail];

    public static VerdictStyle Of(Behavior verdict) => verdict switch
    {
        Behavior.Ok => Pass,
        Behavior.NonStrict => NonStrict,
        Behavior.Informational => Info,
        Behavior.Unimplemented => Unimplemented,
        _ => Fail,
    };

    public static VerdictStyle Of(CloseBehavior verdict) => verdict switch
    {
        CloseBehavior.Ok => CloseOk,
        CloseBehavior.FailedByClient => CloseFailedByClient,
        CloseBehavior.WrongCode => CloseWrongCode,
        CloseBehavior.Unclean => CloseUnclean,
        CloseBehavior.Informational => CloseInfo,
        _ => CloseFail,
    };

    /// <summary>The text of a close cell, as Autobahn shows it: the peer's close code (or "None") unless the close was unclean or failed.</summary>
    public static string CloseCellText(CaseResult result) => result.CloseBehavior switch
    {
        CloseBehavior.Unclean => "Unclean",
        CloseBehavior.Ok or CloseBehavior.FailedByClient or CloseBehavior.WrongCode or CloseBehavior.Informational =>
            result.Closing.RemoteCloseCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None",
        _ => "Fail",
    };
}
