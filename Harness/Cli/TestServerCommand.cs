using System.CommandLine;
using Conformance.Cases;
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
        var outDir = new Option<string?>("--out", "-o") { Description = "Results folder (default: ./reports, or the spec's outdir)" };
        var spec = new Option<string?>("--spec") { Description = "An Autobahn fuzzingclient spec file, read as it is" };
        var insecure = new Option<bool>("--insecure") { Description = "Accept any TLS certificate (wss:// targets with self-signed certificates)" };
        var request = new RequestOptions();
        var common = new CommonOptions();
        var report = new ReportOptions();
        var command = new Command("test-server", "Test a WebSocket server: the harness connects as a client and plays every selected case") { url, agent, cases, exclude, outDir, spec, insecure };
        common.AddTo(command);
        report.AddTo(command);
        request.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var plan = PlanFrom(parse.GetValue(spec), parse.GetValue(url), parse.GetValue(agent), parse.GetValue(cases), parse.GetValue(exclude));
            plan = plan with { Targets = request.Apply(parse, plan.Targets) };
            var reportSettings = report.From(parse);
            bool verbose = parse.GetValue(common.Verbose);
            var options = new ServerTestOptions
            {
                Targets = plan.Targets,
                Cases = plan.Cases,
                ExcludeAgentCases = plan.ExcludeAgentCases,
                Parallel = common.ParallelFrom(parse),
                Timers = common.TimersFrom(parse),
                Verbose = verbose,
                AllowInvalidCertificates = parse.GetValue(insecure),
            };
            using var logging = CommonOptions.Logging(verbose);
            string folder = parse.GetValue(outDir) ?? plan.OutDir ?? "reports";
            return await ServerRun.ExecuteAsync(options, folder, CommonOptions.CommandLineOf(parse), reportSettings, logging, cancel).ConfigureAwait(false);
        });
        return command;
    }

    private sealed record Plan(IReadOnlyList<ServerTarget> Targets, IReadOnlyList<Cases.Scripting.Case> Cases, IReadOnlyDictionary<string, IReadOnlyList<string>> ExcludeAgentCases, string? OutDir);

    private static Plan PlanFrom(string? specPath, string? url, string? agent, string? cases, string? exclude)
    {
        if (specPath is null)
        {
            if (url is null)
            {
                throw new UsageException("give the server's URL (test-server ws://host:port/path) or a spec file (--spec FILE)");
            }

            var target = ParseUrl(url);
            var selected = CaseOptions.Select(CaseSelection.SplitPatterns(cases), CaseSelection.SplitPatterns(exclude));
            return new Plan([new ServerTarget(agent ?? target.Authority, target)], selected, new Dictionary<string, IReadOnlyList<string>>(), null);
        }

        string text = SpecFile.Read(specPath);

        var spec = FuzzingClientSpec.Parse(text, out string? error) ?? throw new UsageException($"spec file '{specPath}' is malformed: {error}");
        var servers = spec.Servers.Count > 0 ? spec.Servers : url is not null ? [new SpecServer(agent, url, null, [])] : throw new UsageException($"spec file '{specPath}' lists no servers and no URL was given");
        var targets = servers.Select(s =>
        {
            var u = ParseUrl(s.Url);
            return RequestOptions.Checked(new ServerTarget(s.Agent ?? u.Authority, u) { Origin = s.Origin, Protocols = s.Protocols, Headers = s.Headers }, $"spec file '{specPath}'");
        }).ToArray();
        var chosen = CaseOptions.Select(spec.Cases, spec.ExcludeCases);
        return new Plan(targets, chosen, spec.ExcludeAgentCases, spec.OutDir);
    }

    public static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss") || string.IsNullOrEmpty(uri.Host))
        {
            throw new UsageException($"'{text}' is not a ws:// or wss:// URL");
        }

        return uri;
    }
}
