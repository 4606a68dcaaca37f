using System.CommandLine;
using Conformance.Harness.Bench;

namespace Conformance.Harness.Cli;

/// <summary><c>bench</c>: the speed and memory figures of the README (<see cref="ServerBench"/>), measured against the npm 'ws' echo server.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var parallel = new Option<int>("--parallel", "-j") { Description = "Cases at once in the parallel phase (with --fuzz: default as fuzz's)", DefaultValueFactory = _ => 8 };
        var compressionOnly = new Option<bool>("--compression-only") { Description = "Run only the compression phase (12.*, 13.* against ws with perMessageDeflate)" };
        var skipCompression = new Option<bool>("--skip-compression") { Description = "Leave out the compression phase (it takes minutes: ws spends about 250 s of CPU on it)" };
        var fuzz = new Option<bool>("--fuzz") { Description = $"Only the fuzzing figures: {BenchFuzz.Cases} generated cases against ws after {BenchFuzz.WarmUpCases} to warm up, cases/s and CPU time harness vs ws" };
        var command = new Command("bench", "Measure speed and memory against the npm 'ws' echo server (installs ws on first use)") { parallel, compressionOnly, skipCompression, fuzz };
        command.SetAction(async (parse, cancel) =>
        {
            if (parse.GetValue(fuzz))
            {
                await BenchFuzz.RunAsync(parse.GetResult(parallel) is { Implicit: false } ? parse.GetValue(parallel) : null, cancel).ConfigureAwait(false);
                return ExitCodes.Passed;
            }

            await ServerBench.RunAsync(parse.GetValue(parallel), parse.GetValue(compressionOnly), parse.GetValue(skipCompression), cancel).ConfigureAwait(false);
            return ExitCodes.Passed;
        });
        return command;
    }
}
