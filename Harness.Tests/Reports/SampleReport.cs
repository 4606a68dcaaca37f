using Conformance.Reports.Gating;
using Conformance.Reports.Model;

namespace Conformance.Tests.Reports;

/// <summary><see cref="SampleRun"/> as a finished run: metadata, targets, options and a selection with a case no agent ran.</summary>
internal static class SampleReport
{
    public static RunResult Build() => SampleRun.Build() with
    {
        Info = SampleRun.Info with
        {
            Finished = SampleRun.Start.AddSeconds(12.5),
            Targets = new Dictionary<string, string> { [SampleRun.Kestrel] = "ws://127.0.0.1:9001/", [SampleRun.Python] = "ws://127.0.0.1:9002/it's" },
            Options = new Dictionary<string, string> { ["parallel"] = "8", ["timeout-scale"] = "1", ["cases"] = "4" },
            CommandLine = "test-server --spec fuzzingclient.json",
        },
        Selection =
        [
            new CatalogueEntry("1.1.1", 1, "Framing", "Text Messages", "Send text message with payload 0."),
            new CatalogueEntry("2.1", 2, "Pings/Pongs", null, "Send ping without payload."),
            new CatalogueEntry("6.4.1", 6, "UTF-8 Handling", "Fail-fast on invalid UTF-8", "Send invalid UTF-8 in 3 fragments."),
            new CatalogueEntry("10.1.1", 10, "Misc", null, "Send text message with payload of length 65 * 2**10."),
        ],
    };

    public static GateResult Gate(RunResult run) => new GatePolicy().Evaluate(run);
}
