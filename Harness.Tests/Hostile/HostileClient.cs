using System.Diagnostics;
using System.Text;
using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Reports.Model;
using Conformance.Tests.Clients;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Hostile;

/// <summary>What the hostile-client tests share: a client-testing server on a free port and the attacker's raw requests.</summary>
internal static class HostileClient
{
    /// <summary>Slack on top of a bound derived from the configured timers: connecting, scheduling, a loaded 2-core machine.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    public static readonly IReadOnlyList<Case> Framing = CaseSelection.Select(CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client), ["1.1.*"], []);

    public static ClientTesting Start(Timers? timers = null, Action<CaseResult>? finished = null, Func<ClientTestOptions, ClientTestOptions>? tune = null, List<string>? log = null)
    {
        var options = new ClientTestOptions { Plan = RunPlan.ForClients(Framing), Timers = timers ?? new Timers() };
        return ClientTesting.Start(tune?.Invoke(options) ?? options, finished, log is null ? null : line =>
        {
            lock (log)
            {
                log.Add(line);
            }
        });
    }

    /// <summary>Asks a control URL and returns the first text message (null when the server closed without one) and how long it took.</summary>
    /// <param name="opened">Completed once the server's response head has arrived.</param>
    public static async Task<(string? Text, TimeSpan Took)> AskAsync(int port, string target, TimeSpan patience, TaskCompletionSource? opened = null)
    {
        var clock = Stopwatch.StartNew();
        await using var client = await RawClient.ConnectAsync(port);
        await client.SendAsync(RawClient.Upgrade(target));
        string head = await client.ReadHeadAsync(patience);
        opened?.TrySetResult();
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            return (head, clock.Elapsed);
        }

        var frame = await client.ReadFrameAsync(patience);
        return (frame is { Opcode: 0x1 } text ? Encoding.UTF8.GetString(text.Payload) : null, clock.Elapsed);
    }

    /// <summary>Sends raw octets as a request and returns everything the server answered before closing, and how long it took.</summary>
    public static async Task<(string Response, TimeSpan Took)> RawRequestAsync(int port, byte[] octets, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        await using var client = await RawClient.ConnectAsync(port);
        await client.SendAsync(octets);
        string response = await client.ReadToEndAsync(patience);
        return (response, clock.Elapsed);
    }

    /// <summary>Plays <c>/runCase</c> as an echo client that closes when the server does; returns the 101 head, or the whole refusal.</summary>
    public static async Task<string> RunCaseAsync(int port, int number, string agent)
    {
        await using var client = await RawClient.ConnectAsync(port);
        await client.SendAsync(RawClient.Upgrade($"/runCase?case={number}&agent={Uri.EscapeDataString(agent)}"));
        string head = await client.ReadHeadAsync();
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            return head + await client.ReadToEndAsync();
        }

        await client.EchoUntilClosedAsync();
        return head;
    }
}
