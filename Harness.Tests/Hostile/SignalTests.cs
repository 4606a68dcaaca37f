using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Hostile;

/// <summary>
/// Issue 13.4: SIGTERM does what Ctrl+C does, in both roles (and in every command: the signals are handled once, in
/// App). The run ends its work: the reports are written whole, no temporary file is left, no stack trace, and the exit
/// code is the run's own. Real processes, real signals.
/// </summary>
[NonParallelizable] // whole processes on a 2-core machine
public sealed partial class SignalTests
{
    /// <summary>From the signal to the end of the process: settling, the final render, a loaded machine.</summary>
    private static readonly TimeSpan Ending = TimeSpan.FromSeconds(60);

    private TempFolder _folder = null!;

    [SetUp]
    public void Fresh()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("POSIX signals");
        }

        _folder = new TempFolder("wsconf-signals");
    }

    [TearDown]
    public void Clean() => _folder?.Dispose();

    private string OutDir => Path.Combine(_folder.Path, "out");

    [Test]
    public async Task SIGTERM_while_serving_clients_writes_the_report_and_leaves_no_temporary_file()
    {
        using var wsconf = Wsconf.Start("test-client", "--port", "0", "--cases", "1.1.*", "--out", OutDir);
        string listening = await wsconf.WaitForOutputAsync(ListeningLine(), TimeSpan.FromSeconds(60));
        int port = int.Parse(ListeningLine().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(await HostileClient.RunCaseAsync(port, 1, "before the signal"), Does.StartWith("HTTP/1.1 101"));

        var outcome = await wsconf.TerminateAsync(Ending);

        AssertEndedCleanly(outcome, expectedExit: 1); // 15 of 16 cases not run: the gate fails, as after Ctrl+C
        Assert.That(outcome.Out, Does.Contain("Stopping: interrupted"));
    }

    [Test]
    public async Task SIGTERM_while_testing_a_server_writes_the_report_and_leaves_no_temporary_file()
    {
        using var wsconf = Wsconf.Start("--cases", "9.7.*,9.8.*", "--out", OutDir);
        var clock = Stopwatch.StartNew();
        while (!Directory.Exists(OutDir) || Directory.GetFiles(OutDir, "*_case_*.json").Length == 0)
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(120)), "no case ended\n" + wsconf.Output);
            await Task.Delay(100);
        }

        var outcome = await wsconf.TerminateAsync(Ending);

        AssertEndedCleanly(outcome, expectedExit: null);
    }

    private void AssertEndedCleanly((int Exit, string Out, string Error) outcome, int? expectedExit)
    {
        string all = $"exit {outcome.Exit}\nstdout:\n{outcome.Out}\nstderr:\n{outcome.Error}";
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Exit, expectedExit is { } code ? Is.EqualTo(code) : Is.InRange(0, 2), all);
            Assert.That(outcome.Error, Does.Contain("terminated (SIGTERM)"), all);
            Assert.That(all, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(File.Exists(Path.Combine(OutDir, "index.html")), Is.True, "the report is written");
            Assert.That(File.Exists(Path.Combine(OutDir, "wsconf-run.json")), Is.True);
            Assert.That(Directory.GetFiles(OutDir, "*.tmp", SearchOption.AllDirectories), Is.Empty, "no temporary file is left");
        });
    }

    [GeneratedRegex(@"Listening on ws://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>wsconf as its own process (the build's wsconf.dll through <c>dotnet</c>), its output collected.</summary>
    private sealed class Wsconf : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _out = new();
        private readonly StringBuilder _error = new();

        private Wsconf(Process process) => _process = process;

        public string Output
        {
            get
            {
                lock (_out)
                {
                    return _out.ToString();
                }
            }
        }

        public static Wsconf Start(params string[] args)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "wsconf.dll"));
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            var wsconf = new Wsconf(new Process { StartInfo = info });
            wsconf._process.OutputDataReceived += (_, e) => Append(wsconf._out, e.Data);
            wsconf._process.ErrorDataReceived += (_, e) => Append(wsconf._error, e.Data);
            wsconf._process.Start();
            wsconf._process.BeginOutputReadLine();
            wsconf._process.BeginErrorReadLine();
            return wsconf;
        }

        public async Task<string> WaitForOutputAsync(Regex line, TimeSpan bound)
        {
            var clock = Stopwatch.StartNew();
            while (!line.IsMatch(Output))
            {
                Assert.That(clock.Elapsed, Is.LessThan(bound), "no such line\n" + Output);
                Assert.That(_process.HasExited, Is.False, "wsconf ended early\n" + Output + _error);
                await Task.Delay(50);
            }

            return Output;
        }

        public async Task<(int Exit, string Out, string Error)> TerminateAsync(TimeSpan bound)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(bound);
            await _process.WaitForExitAsync(deadline.Token);
            string error;
            lock (_error)
            {
                error = _error.ToString();
            }

            return (_process.ExitCode, Output, error);
        }

        private static void Append(StringBuilder text, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (text)
            {
                text.AppendLine(line);
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
