using System.CommandLine;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;

namespace Conformance.Harness.Cli;

/// <summary><c>test-server URL</c> or <c>test-server --spec FILE</c>: the tester is the client.</summary>
internal static class TestServerCommand
{
    public static Command Create()
    {
        var url = new Argument<string?>("url") { Description = "ws:// or wss:// URL of the echo endpoint to test", Arity = ArgumentArity.ZeroOrOne };
        var agent = new Option<string?>("--agent") { Description = "Name of the server in reports (default: host:port)" };
        var cases = CaseOptions.Cases();
        var exclude = CaseOptions.Exclude();
        var rerunFailed = CaseOptions.RerunFailed();
        var outDir = new Option<string?>("--out", "-o") { Description = "Results folder (default: ./reports, or the spec's outdir)" };
        var spec = new Option<string?>("--spec") { Description = "An Autobahn fuzzingclient spec file, read as it is" };
        var insecure = new Option<bool>("--insecure") { Description = "Accept any TLS certificate (wss:// targets with self-signed certificates)" };
        var ca = new Option<string?>("--ca") { Description = "Also trust the certificates in this PEM file (a CA, or a self-signed server certificate) for wss:// targets" };
        var request = new RequestOptions();
        var casesFrom = Fuzzing.CasesFromOption.Create();
        var common = new CommonOptions();
        var report = new ReportOptions();
        var command = new Command("test-server", "Test a WebSocket server: the harness connects as a client and plays every selected case") { url, agent, cases, exclude, rerunFailed, outDir, spec, insecure, ca, casesFrom };
        common.AddTo(command);
        report.AddTo(command);
        request.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var plan = Fuzzing.CasesFromOption.Apply(RunPlan.ForServersFrom(parse.GetValue(spec), parse.GetValue(url), parse.GetValue(agent), parse.GetValue(cases), parse.GetValue(exclude)), parse.GetValue(casesFrom));
            if (parse.GetValue(rerunFailed) is { } earlier)
            {
                plan = plan.RerunningFailuresOf(earlier);
            }

            plan = plan with { Targets = request.Apply(parse, plan.Targets) };
            var reportSettings = report.From(parse);
            bool verbose = parse.GetValue(common.Verbose);
            var options = new ServerTestOptions
            {
                Plan = plan,
                Parallel = common.ParallelFrom(parse),
                Timers = common.TimersFrom(parse),
                Verbose = verbose,
                AllowInvalidCertificates = parse.GetValue(insecure),
                TrustedCa = parse.GetValue(ca) is { } caFile ? Transport.TlsClientPolicy.WithCaFile(caFile) : null,
            };
            using var logging = CommonOptions.Logging(verbose);
            string folder = parse.GetValue(outDir) ?? plan.OutDir ?? "reports";
            var facts = new RunFacts(ServerTesting.Facts(options, reportSettings.EmbeddedTarget), CommonOptions.CommandLineOf(parse));
            return await ServerTesting.ExecuteAsync(options, folder, facts, reportSettings, logging, cancel).ConfigureAwait(false);
        });
        return command;
    }
}
