using System.Text.RegularExpressions;
using Conformance.Reports.Model;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// What "the same verdict and reason" means while shrinking: both verdicts, the kind of behaviour
/// problem and the kind of close problem, without the payloads and counts that shrinking changes.
/// </summary>
internal static partial class FindingSignature
{
    /// <summary>A case that does not pass: any verdict other than OK, NON-STRICT, INFORMATIONAL or UNIMPLEMENTED.</summary>
    public static bool IsFinding(CaseResult result) =>
        result.Behavior is not (Behavior.Ok or Behavior.NonStrict or Behavior.Informational or Behavior.Unimplemented)
        || result.CloseBehavior is not (CloseBehavior.Ok or CloseBehavior.Informational);

    public static string Of(CaseResult result) =>
        $"{result.Behavior.Label()}/{result.CloseBehavior.Label()}/{BehaviorKind(result)}/{CloseKind(result)}";

    private static string BehaviorKind(CaseResult result) => result.Behavior switch
    {
        Behavior.Failed => result.BehaviorReason switch
        {
            var r when r.Contains("opening handshake", StringComparison.Ordinal) => "handshake",
            var r when r.Contains("answers no ping", StringComparison.Ordinal) => "stray pong",
            var r when r.Contains("missing: pong", StringComparison.Ordinal) => "missing pong",
            var r when r.Contains("missing: message", StringComparison.Ordinal) => "missing message",
            var r when r.Contains("unexpected event", StringComparison.Ordinal) => "unexpected " + FirstWordAfter(r, "unexpected event"),
            var r when r.Contains("differs", StringComparison.Ordinal) => "differs",
            _ => "other",
        },
        _ => "",
    };

    private static string CloseKind(CaseResult result) => result.CloseBehavior switch
    {
        CloseBehavior.WrongCode => $"code {result.Closing.RemoteCloseCode}",
        CloseBehavior.Failed => result.CloseReason.Contains("the tester had to close", StringComparison.Ordinal) ? "peer did not fail" : "peer closed first",
        _ => "",
    };

    private static string FirstWordAfter(string text, string marker)
    {
        var match = AfterMarker().Match(text[(text.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..]);
        return match.Success ? match.Groups[1].Value : "";
    }

    [GeneratedRegex(@"^ \d+: (\w+)")]
    private static partial Regex AfterMarker();
}
