using System.Net;
using System.Net.Sockets;
using Conformance.Cases;
using Conformance.Cases.Catalogue;
using Conformance.Cases.Scripting;
using Conformance.Harness.Cli;

namespace Conformance.Harness.Running;

/// <summary>Building a plan from what the user gave: an Autobahn spec file (read as it is) or the flags. Problems are usage errors (exit 2).</summary>
internal sealed partial record RunPlan
{
    /// <summary>Testing servers: <c>--spec FILE</c> (its servers, or the URL given), else the URL and <c>--cases</c>/<c>--exclude</c>.</summary>
    public static RunPlan ForServersFrom(string? specPath, string? url, string? agent, string? cases, string? exclude)
    {
        if (specPath is null)
        {
            if (url is null)
            {
                throw new UsageException("give the server's URL (test-server ws://host:port/path) or a spec file (--spec FILE)");
            }

            var target = ParseTargetUrl(url);
            return ForServer(new ServerTarget(agent ?? target.Authority, target), SelectFromFlags(cases, exclude));
        }

        string text = ReadSpecFile(specPath);
        var spec = FuzzingClientSpec.Parse(text, out string? error) ?? throw new UsageException($"spec file '{specPath}' is malformed: {error}");
        var servers = spec.Servers.Count > 0 ? spec.Servers : url is not null ? [new SpecServer(agent, url, null, [])] : throw new UsageException($"spec file '{specPath}' lists no servers and no URL was given");
        var targets = servers.Select(s =>
        {
            var u = ParseTargetUrl(s.Url);
            return new ServerTarget(s.Agent ?? u.Authority, u) { Origin = s.Origin, Protocols = s.Protocols, Headers = s.Headers };
        }).ToArray();
        return ForServers(targets, Select(spec.Cases, spec.ExcludeCases, PeerRoles.Server), spec.ExcludeAgentCases) with { OutDir = spec.OutDir };
    }

    /// <summary>Testing clients: <c>--spec FILE</c> (url, outdir, cases, exclusions), else <c>--cases</c>/<c>--exclude</c>.</summary>
    public static RunPlan ForClientsFrom(string? specPath, string? cases, string? exclude)
    {
        if (specPath is null)
        {
            return ForClients(SelectFromFlags(cases, exclude, PeerRoles.Client));
        }

        string text = ReadSpecFile(specPath);
        var spec = FuzzingServerSpec.Parse(text, out string? error) ?? throw new UsageException($"spec file '{specPath}' is malformed: {error}");
        var chosen = Select(spec.Cases, spec.ExcludeCases, PeerRoles.Client);
        return ForClients(chosen, spec.ExcludeAgentCases) with { OutDir = spec.OutDir, Listen = spec.Url, ListenAddress = AddressOf(spec.Url) };
    }

    /// <summary>The cases <c>--cases</c> and <c>--exclude</c> select (comma-separated patterns), checked as <see cref="Select"/> does.</summary>
    public static IReadOnlyList<Case> SelectFromFlags(string? cases, string? exclude, PeerRoles role = PeerRoles.Server) =>
        Select(CaseSelection.SplitPatterns(cases), CaseSelection.SplitPatterns(exclude), role);

    /// <summary>
    /// Selects the cases that apply to the role under test; a pattern that matches nothing is refused (Autobahn
    /// would silently break later), and so is a case ID of the other role.
    /// </summary>
    public static IReadOnlyList<Case> Select(IReadOnlyList<string> include, IReadOnlyList<string> exclude, PeerRoles role = PeerRoles.Server)
    {
        var unknown = CaseSelection.UnknownPatterns(Catalogue.All, include.Concat(exclude));
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown case pattern{(unknown.Count > 1 ? "s" : "")} {Listed(unknown)}: no case matches (see './run.sh list')");
        }

        var applicable = CaseSelection.ForRole(Catalogue.All, role);
        var otherRole = CaseSelection.UnknownPatterns(applicable, include).ToArray();
        if (otherRole.Length > 0)
        {
            string tested = role == PeerRoles.Client ? "a client" : "a server";
            throw new UsageException($"case{(otherRole.Length > 1 ? "s" : "")} {Listed(otherRole)} do{(otherRole.Length > 1 ? "" : "es")} not apply when testing {tested} (see './run.sh list')");
        }

        var selected = CaseSelection.Select(applicable, include, exclude);
        if (selected.Count > 0)
        {
            return selected;
        }

        string testing = role == PeerRoles.Client ? "a client" : "a server";
        throw new UsageException(CaseSelection.Select(Catalogue.All, include, []).Count == 0 ? $"no case matches {Listed(include)} (see './run.sh list')"
            : CaseSelection.Select(applicable, include, []).Count == 0 ? $"the selection is empty: {Listed(include)} match only cases that do not apply when testing {testing} (see './run.sh list')"
            : "the selection is empty: every case that matches was excluded");
    }

    /// <summary>Patterns for an error line: quoted, at most <see cref="ListedPatterns"/> of them, then how many more (an error stays one short line).</summary>
    private static string Listed(IReadOnlyCollection<string> patterns)
    {
        string shown = string.Join(", ", patterns.Take(ListedPatterns).Select(p => $"'{Conformance.Reports.Text.Clip.Visible(p, 40)}'"));
        return patterns.Count > ListedPatterns ? $"{shown} and {patterns.Count - ListedPatterns} more" : patterns.Count == 0 ? "(no pattern)" : shown;
    }

    private const int ListedPatterns = 10;

    public static Uri ParseTargetUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss") || string.IsNullOrEmpty(uri.Host))
        {
            throw new UsageException($"'{text}' is not a ws:// or wss:// URL");
        }

        return uri;
    }

    /// <summary>The spec file's text; an unreadable file is a usage error, not a stack trace.</summary>
    private static string ReadSpecFile(string path)
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

    /// <summary>The address to listen on for a spec's url: an IP literal, <c>localhost</c>, or a name of this machine.</summary>
    private static IPAddress AddressOf(Uri url)
    {
        string host = url.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        try
        {
            return Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new UsageException($"the spec's url host '{host}' has no IPv4 address");
        }
        catch (SocketException e)
        {
            throw new UsageException($"cannot resolve the spec's url host '{host}': {e.Message}");
        }
    }
}
