namespace Conformance.Harness.Cli;

/// <summary>Reading an Autobahn spec file given on the command line (both roles).</summary>
internal static class SpecFile
{
    /// <summary>The file's text; an unreadable file is a usage error (exit 2), not a stack trace.</summary>
    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read spec file '{path}': {e.Message}");
        }
    }
}
