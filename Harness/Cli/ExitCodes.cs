namespace Conformance.Harness.Cli;

/// <summary>The process exit codes every command shares.</summary>
internal static class ExitCodes
{
    /// <summary>No case FAILED (behaviour or close).</summary>
    public const int Passed = 0;

    /// <summary>At least one case FAILED.</summary>
    public const int Failed = 1;

    /// <summary>Usage error, malformed spec, unknown case pattern, unreachable target.</summary>
    public const int Usage = 2;
}

/// <summary>A problem with what the user asked for: reported as one line on stderr, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
