using System.Diagnostics;
using System.Globalization;
using Conformance.Cases.Catalogue;
using Conformance.Cases.Scripting;
using Conformance.Harness.Cli;
using Conformance.Reports.Html;
using Conformance.Reports.Model;
using Conformance.Reports.Text;
using Conformance.Reports.Writers;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Running;

/// <summary>What a run records about itself besides its plan: the options that shaped it (in report order) and the command line.</summary>
internal sealed record RunFacts(IReadOnlyList<KeyValuePair<string, string>> Options, string CommandLine);

/// <summary>
/// The record of one run, for both roles: the run facts and the results folder (opened before any case runs,
/// so that <c>./run.sh report DIR</c> renders a run that was killed), each case's JSON file and index.json as the
/// case ends, the progress line, and at the end the summary, the gate, the reports and the exit code.
/// </summary>
internal sealed class RunRecorder
{
    private readonly RunPlan _plan;
    private readonly RunFacts _facts;
    private readonly ReportSettings _report;
    private readonly ILogger _logger;
    private readonly ResultsFolder _folder;
    private readonly ProgressDisplay _progress;
    private readonly IReadOnlyList<CatalogueEntry> _selection;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly Stopwatch _clock;
    private int _begun;

    private RunRecorder(RunPlan plan, RunFacts facts, ReportSettings report, ILogger logger, string outDir)
    {
        _plan = plan;
        _facts = facts;
        _report = report;
        _logger = logger;
        _selection = ReportOptions.Entries(plan.Cases);
        try
        {
            _folder = new ResultsFolder(outDir);
            ProbeWritable(_folder.OutDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write to '{outDir}': {e.Message}");
        }

        _clock = Stopwatch.StartNew();
        _progress = new ProgressDisplay(plan.Tested == PeerRoles.Server ? plan.Items().Count : plan.Cases.Count);
    }

    /// <summary>Creates the results folder (an unwritable or empty one is a usage error); <see cref="Begin"/> writes the run facts.</summary>
    public static RunRecorder Open(RunPlan plan, RunFacts facts, string outDir, ReportSettings report, ILogger logger) =>
        string.IsNullOrWhiteSpace(outDir)
            ? throw new UsageException("the results folder is empty (--out '' or the spec's \"outdir\": \"\"): give a folder name")
            : new(plan, facts, report, logger, outDir);

    /// <summary>
    /// The target is known to work (server testing: it answered; client testing: the harness listens): the run facts
    /// are written now, so <c>./run.sh report DIR</c> renders a run that is killed later. Before this nothing but the
    /// folder exists: a port in use or an unreachable target leaves no <c>wsconf-run.json</c> behind.
    /// </summary>
    public void Begin()
    {
        if (Interlocked.Exchange(ref _begun, 1) == 0)
        {
            RunInfoFile.Write(_folder.OutDir, Info([], "(not known yet)"), _selection);
        }
    }

    /// <summary>A case has ended: its JSON file and index.json are written now, the progress line moves on.</summary>
    public void Record(CaseResult result)
    {
        Begin();
        _folder.Add(result);
        _progress.Finished(result);
        _logger.LogInformation("{Agent} {Case}: {Behavior} / {Close} ({Duration} ms)", result.Agent, result.CaseId, result.Behavior.Label(), result.CloseBehavior.Label(), result.DurationMs);
    }

    /// <summary>
    /// Client testing's <c>/updateReports</c>: the JSON files are current already; the index and the HTML report
    /// are rendered again from everything so far, for every agent (as Autobahn does).
    /// </summary>
    public void UpdateReports(IReadOnlyList<CaseResult> results, IReadOnlyList<string> agents)
    {
        EnsureIndex();
        var run = new RunResult(Info(agents, "(client)"), results) { Selection = _selection };
        try
        {
            new HtmlReportWriter(ScribanTemplateEngine.Create(_report.Templates)).Write(run, _report.Gate.Evaluate(run), _folder.OutDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TemplateException)
        {
            _logger.LogWarning("updating the HTML report failed: {Message}", e.Message);
        }
    }

    /// <summary>
    /// The end of the run: the final run facts, the summary, the cases not run (client testing), the client's
    /// problem and last output lines, the "Ran N case(s)" line, then the gate and the reports. Returns the exit code.
    /// </summary>
    /// <param name="results">Every result, in plan order (server testing) or by agent and case number (client testing).</param>
    /// <param name="clients">Client testing: who came and how the client ended; null when testing servers.</param>
    /// <param name="campaign">A fuzzing campaign's figures and findings, shown in the report; null for a catalogue run.</param>
    public int Finish(IReadOnlyList<CaseResult> results, ClientEnd? clients = null, CampaignResult? campaign = null)
    {
        var agents = clients?.Agents ?? [];
        string target = clients?.Target ?? "";
        _progress.Done();
        bool testingClients = _plan.Tested == PeerRoles.Client;
        if (testingClients || campaign is not null)
        {
            EnsureIndex(); // a campaign without findings recorded no case, and is still a results folder
        }

        var run = new RunResult(Info(agents, target) with { Finished = DateTimeOffset.UtcNow }, results) { Selection = _selection, Campaign = campaign };
        RunInfoFile.Write(_folder.OutDir, run.Info, _selection);
        if (results.Count > 0 || !(testingClients || campaign is not null))
        {
            new ConsoleSummaryWriter().Write(run, Console.Out);
        }

        if (testingClients)
        {
            int missing = PrintNotRun(results, agents);
            if (clients?.Problem is { } problem)
            {
                Console.Out.WriteLine($"Client: {problem}.");
            }

            if (clients is { Tail.Count: > 0 } && (clients.Problem is not null || missing > 0))
            {
                Console.Out.WriteLine($"Last lines of the client's output:\n  " + string.Join("\n  ", clients.Tail.Select(l => Clip.Visible(l, 160))));
            }
        }

        Console.Out.WriteLine(campaign is null
            ? $"Ran {results.Count} case(s) in {_clock.Elapsed.TotalSeconds:F1} s. Results: {Path.GetFullPath(_folder.IndexPath)}"
            : $"Results: {Path.GetFullPath(_folder.IndexPath)} ({results.Count} case(s): the findings as generated and as shrunk)");

        // The same gate, HTML, JUnit and Markdown outputs in both roles (with no client at all, the gate counts every case as not run).
        return ReportOutputs.Finish(run, _folder.OutDir, null, _report, Console.Out);
    }

    /// <summary>Client testing: the cases each agent did not run, and how many in all.</summary>
    private int PrintNotRun(IReadOnlyList<CaseResult> results, IReadOnlyList<string> agents)
    {
        if (agents.Count == 0)
        {
            Console.Out.WriteLine($"No client ran a case: {_plan.Cases.Count} case(s) not run.");
            return _plan.Cases.Count;
        }

        int missing = 0;
        foreach (string agent in agents)
        {
            var done = results.Where(r => r.Agent == agent).Select(r => r.CaseId).ToHashSet(StringComparer.Ordinal);
            var notRun = _plan.Cases.Where(c => !done.Contains(c.Id.Text)).ToArray();
            if (notRun.Length > 0)
            {
                missing += notRun.Length;
                int excluded = notRun.Length - _plan.CasesFor(agent).Count(c => !done.Contains(c.Id.Text));
                string first = string.Join(", ", notRun.Take(8).Select(c => c.Id.Text)) + (notRun.Length > 8 ? ", …" : "");
                Console.Out.WriteLine($"{Clip.Visible(agent, 60)}: {notRun.Length} case(s) not run ({first})" +
                                      (excluded > 0 ? $"; {excluded} of them excluded for this agent by exclude-agent-cases." : "."));
            }
        }

        return missing;
    }

    private RunInfo Info(IReadOnlyList<string> agents, string target)
    {
        // A fuzz campaign has no catalogue selection: its size is in its own facts (fuzz-size), not "cases 0".
        var options = new Dictionary<string, string>();
        if (_plan.Cases.Count > 0)
        {
            options["cases"] = _plan.Cases.Count.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (name, value) in _facts.Options)
        {
            options[name] = value;
        }

        options["gate"] = _report.Gate.Describe();
        bool testingServers = _plan.Tested == PeerRoles.Server;
        return new RunInfo
        {
            HarnessVersion = HarnessInfo.Version,
            CatalogueVersion = Catalogue.Version,
            Mode = testingServers ? "server" : "client",
            Started = _started,
            Targets = testingServers ? _plan.Targets.ToDictionary(t => t.Agent, t => t.Url.ToString()) : agents.ToDictionary(a => a, _ => target),
            Options = options,
            CommandLine = _facts.CommandLine,
            ExcludedForAgent = _plan.ExcludedFor(testingServers ? _plan.Targets.Select(t => t.Agent) : agents),
        };
    }

    /// <summary>An unwritable folder is found before the run starts, without leaving a file behind.</summary>
    private static void ProbeWritable(string folder)
    {
        string probe = Path.Combine(folder, $".wsconf-probe.{Guid.NewGuid():N}.tmp");
        using (File.Create(probe, 1, FileOptions.DeleteOnClose))
        {
        }

        File.Delete(probe);
    }

    /// <summary>index.json exists after a run even when no case ran (Autobahn's index is then an empty object).</summary>
    private void EnsureIndex()
    {
        if (!File.Exists(_folder.IndexPath))
        {
            File.WriteAllBytes(_folder.IndexPath, new AutobahnIndexWriter().Render([]));
        }
    }
}

/// <summary>How a client-testing run ended: the agents that came, what drove them, the client's problem in words and its last output lines.</summary>
internal sealed record ClientEnd(IReadOnlyList<string> Agents, string Target, string? Problem, IReadOnlyList<string> Tail);
