using System.Globalization;
using Conformance.Cases.Scripting;
using Conformance.Harness.Wire;
using Conformance.Reports.Text;

namespace Conformance.Harness.Roles;

/// <summary>
/// What a client asks of the fuzzing server through the URL it connects to: Autobahn's client-testing
/// protocol (catalogue spec §4). Case numbers are 1-based positions in the selected, numerically sorted list.
/// </summary>
internal abstract record ControlRequest
{
    /// <summary><c>/getCaseCount</c>: the number of selected cases, as a JSON number.</summary>
    public sealed record GetCaseCount : ControlRequest;

    /// <summary><c>/runCase?case=N&amp;agent=A</c> (or <c>casetuple=ID</c>): play case N on this connection.</summary>
    public sealed record RunCase(int Number, Case Case, string Agent) : ControlRequest;

    /// <summary><c>/getCaseInfo?case=N</c>: the case's ID and description.</summary>
    public sealed record GetCaseInfo(int Number, Case Case) : ControlRequest;

    /// <summary><c>/getCaseStatus?case=N&amp;agent=A</c>: the behaviour verdict, once the case has finished.</summary>
    public sealed record GetCaseStatus(int Number, Case Case, string Agent) : ControlRequest;

    /// <summary><c>/updateReports?agent=A</c>: write the reports (of every agent); optionally stop serving afterwards.</summary>
    public sealed record UpdateReports(string Agent, bool ShutdownOnComplete) : ControlRequest;

    /// <summary><c>/stopServer</c>: stop serving at once.</summary>
    public sealed record StopServer : ControlRequest;

    /// <summary>The paths the server answers, for error messages and the README.</summary>
    public static IReadOnlyList<string> Paths { get; } = ["/getCaseCount", "/runCase", "/getCaseInfo", "/getCaseStatus", "/updateReports", "/stopServer"];

    /// <summary>Agent names longer than this are refused: they become part of report file names.</summary>
    public const int MaxAgentLength = 200;

    /// <summary>
    /// Reads a request from its path and query against the selected cases. Returns null and the HTTP error to
    /// answer with when the path is unknown (404) or a parameter is missing, repeated or out of range (400).
    /// <c>case</c> wins over <c>casetuple</c> when both are given, as in Autobahn.
    /// </summary>
    public static ControlRequest? Parse(string path, IReadOnlyList<KeyValuePair<string, string>> query, IReadOnlyList<Case> selected, out HttpError? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in query)
        {
            if (!values.TryAdd(name, value))
            {
                error = new HttpError(400, $"the parameter '{name}' is given more than once");
                return null;
            }
        }

        error = null;
        switch (path)
        {
            case "/getCaseCount":
                return new GetCaseCount();
            case "/stopServer":
                return new StopServer();
            case "/updateReports":
                return AgentOf(values, out string? agent, out error)
                    ? new UpdateReports(agent!, values.TryGetValue("shutdownOnComplete", out string? shutdown) && shutdown.ToLowerInvariant() is "true" or "yes" or "1")
                    : null;
            case "/getCaseInfo":
                return CaseOf(values, selected, out var info, out error) ? new GetCaseInfo(info.Number, info.Case) : null;
            case "/runCase":
                return CaseOf(values, selected, out var run, out error) && AgentOf(values, out agent, out error) ? new RunCase(run.Number, run.Case, agent!) : null;
            case "/getCaseStatus":
                return CaseOf(values, selected, out var status, out error) && AgentOf(values, out agent, out error) ? new GetCaseStatus(status.Number, status.Case, agent!) : null;
            default:
                error = new HttpError(404, $"no endpoint at '{Shown(path)}'; this server answers {string.Join(", ", Paths)} (WebSocket) and / (the browser test page)");
                return null;
        }
    }

    private static bool CaseOf(Dictionary<string, string> values, IReadOnlyList<Case> selected, out (int Number, Case Case) found, out HttpError? error)
    {
        found = default;
        if (values.TryGetValue("case", out string? number))
        {
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > selected.Count)
            {
                error = new HttpError(400, $"case must be a number from 1 to {selected.Count} (the position in the selected list), not '{Shown(number)}'");
                return false;
            }

            found = (n, selected[n - 1]);
            error = null;
            return true;
        }

        if (values.TryGetValue("casetuple", out string? id))
        {
            for (int i = 0; i < selected.Count; i++)
            {
                if (selected[i].Id.Text == id)
                {
                    found = (i + 1, selected[i]);
                    error = null;
                    return true;
                }
            }

            error = new HttpError(400, $"casetuple '{Shown(id)}' is not one of the {selected.Count} selected cases");
            return false;
        }

        error = new HttpError(400, "the parameter 'case' (a number from 1) or 'casetuple' (a case ID such as 1.1.1) is missing");
        return false;
    }

    private static bool AgentOf(Dictionary<string, string> values, out string? agent, out HttpError? error)
    {
        agent = values.GetValueOrDefault("agent");
        if (string.IsNullOrWhiteSpace(agent))
        {
            error = new HttpError(400, "the parameter 'agent' (the name of the client in reports) is missing");
            return false;
        }

        if (agent.Length > MaxAgentLength || agent.Any(char.IsControl))
        {
            error = new HttpError(400, $"the agent name must be at most {MaxAgentLength} characters without control characters");
            return false;
        }

        error = null;
        return true;
    }

    private static string Shown(string text) => Clip.After(text, 60, controlAs: '?');
}
