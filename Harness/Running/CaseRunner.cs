using System.Diagnostics;
using Conformance.Cases.Scripting;
using Conformance.Harness.Transport;
using Conformance.Reports.Model;

namespace Conformance.Harness.Running;

/// <summary>The permessage-deflate state a case is played with: what was agreed (if anything), in words for the record.</summary>
internal sealed record DeflateUse(Cases.Protocol.DeflateAgreement? Agreement, string Summary, string? Unavailable = null)
{
    /// <summary>The server's acceptance left out a parameter it must repeat (RFC 7692 §7.1.1.1, §7.1.2.1); played as what it means.</summary>
    public Cases.Protocol.OmittedParameter? OmittedRepeat { get; init; }
}

/// <summary>
/// A case whose opening handshake is done, in either role: the connection, what both sides said in the
/// handshake, and the octets that followed the head (the case's first frames may share its TCP segment).
/// </summary>
internal sealed record OpenedCase(Case Case, bool TesterIsServer, TcpConnection Connection, ReadOnlyMemory<byte> Leftover, string HttpRequest, string HttpResponse, DateTimeOffset Started)
{
    public DeflateUse? Deflate { get; init; }

    /// <summary>Category 15: what the scripted opening handshake showed (the case's rest is played as usual).</summary>
    public Handshake.HandshakeObservations? Handshake { get; init; }
}

/// <summary>
/// Plays one case over a connection it is handed, in either role (server testing: the tester dialled out and
/// did the client handshake; client testing: the listener hands over the <c>/runCase</c> socket after the
/// server handshake), and turns what was observed into the case's result with the judge.
/// </summary>
internal sealed class CaseRunner(Timers timers)
{
    public async Task<Observations> PlayAsync(OpenedCase opened, WireRecorder log, Stopwatch clock, CancellationToken cancel)
    {
        var session = new CaseSession(opened.Case, opened.TesterIsServer, opened.Connection, timers, log, clock);
        if (opened.Deflate is { } deflate)
        {
            session.UseDeflate(deflate.Agreement, deflate.Summary, deflate.Unavailable);
        }

        var played = await session.RunAsync(opened.Leftover, opened.HttpRequest, opened.HttpResponse, opened.Started, cancel).ConfigureAwait(false);
        return Roles.DeflateNegotiation.WithOmittedRepeat(played, opened.Deflate?.OmittedRepeat) with { Handshake = opened.Handshake };
    }

    /// <summary>The verdicts (RFC 6455 rules in <see cref="Judge"/>) and the report's record of the case.</summary>
    public static CaseResult Result(string agent, Case @case, int number, Observations seen) =>
        ResultFactory.Build(agent, @case, number, seen, Judge.Decide(@case, seen));
}
