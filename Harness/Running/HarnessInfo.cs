namespace Conformance.Harness.Running;

/// <summary>The harness's own version, as the run facts and <c>--version</c> show it.</summary>
internal static class HarnessInfo
{
    public static string Version { get; } = typeof(HarnessInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
