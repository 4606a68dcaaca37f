using NUnit.Framework;

namespace Conformance.Tests.Support;

/// <summary>
/// Debian's python3-websockets as an echo server (<c>Support/python-websockets-echo.py</c>), run by
/// Debian's own Python. Required like Node.js: the tests fail, not skip, when it is missing (CI
/// installs it with apt-get).
/// </summary>
internal static class PythonWebsocketsServer
{
    public const string Agent = "python3-websockets (Debian)";

    private const string Missing =
        "Debian's python3-websockets is required for this test but could not be started ({0}). " +
        "Install it with 'apt-get install python3-websockets'; CI installs it. The test fails rather than skips on purpose.";

    /// <summary>Debian's interpreter, where apt installs python3-websockets (a pyenv or venv python on PATH would not see it).</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static async Task<NodeWsEchoServer> StartAsync()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Support", "python-websockets-echo.py");
        if (!File.Exists(script))
        {
            Assert.Fail($"{script} is missing: Support/python-websockets-echo.py must be copied to the test output.");
        }

        var check = await ProcessRunner.RunAsync((Python, []), ["-c", "import websockets; print(websockets.__version__)"], AppContext.BaseDirectory, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (check.ExitCode != 0)
        {
            Assert.Fail(string.Format(System.Globalization.CultureInfo.InvariantCulture, Missing, check.Output.Trim()));
        }

        TestContext.Progress.WriteLine($"python3-websockets {check.Output.Trim()} ({Python})");
        return await NodeWsEchoServer.StartScriptAsync(Python, [script], AppContext.BaseDirectory,
            e => string.Format(System.Globalization.CultureInfo.InvariantCulture, Missing, e.Message)).ConfigureAwait(false);
    }
}
