using System.Runtime.CompilerServices;
using System.Text;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

/// <summary>
/// Compares output with a file in <c>Reports/Golden/</c> (copied next to the test assembly), byte for byte.
/// Set <c>UPDATE_GOLDEN=1</c> to rewrite the golden files in the source tree after an intended format change.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string fileName, byte[] actual, [CallerFilePath] string callerFile = "")
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(callerFile)!, "Golden", fileName), actual);
            Assert.Warn($"Golden file {fileName} rewritten; review the diff.");
            return;
        }

        byte[] expected = File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "Reports", "Golden", fileName));
        if (expected.AsSpan().SequenceEqual(actual))
        {
            return;
        }

        string actualPath = Path.Combine(TestContext.CurrentContext.WorkDirectory, fileName + ".actual");
        File.WriteAllBytes(actualPath, actual);
        Assert.Fail($"{fileName} differs from the golden file; {FirstDifference(expected, actual)}. Actual output: {actualPath}");
    }

    private static string FirstDifference(byte[] expected, byte[] actual)
    {
        string[] want = Encoding.UTF8.GetString(expected).Split('\n');
        string[] got = Encoding.UTF8.GetString(actual).Split('\n');
        for (int i = 0; i < Math.Max(want.Length, got.Length); i++)
        {
            string? w = i < want.Length ? want[i] : null;
            string? g = i < got.Length ? got[i] : null;
            if (w != g)
            {
                return $"line {i + 1}: expected [{w ?? "<end>"}] but was [{g ?? "<end>"}]";
            }
        }

        return "same text, different bytes (line endings or encoding)";
    }
}
