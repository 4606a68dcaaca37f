using Conformance.Cases.Scripting;
using Conformance.Reports.Model;
using Conformance.Tests.Integration;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Handshake;

/// <summary>
/// Expected category-15 verdicts of the real peers, as DATA: nobody publishes opening-handshake results, so
/// the expectation is what RFC 6455 asks (OK for a request or response the peer must accept or refuse), and
/// every place a library does otherwise is listed with its evidence (the README repeats them). A refusal opens
/// no WebSocket connection, so its close verdict is INFORMATIONAL.
/// </summary>
internal static class HandshakeExpectations
{
    private static readonly Verdicts Refused = new(Behavior.Ok, CloseBehavior.Informational);

    /// <summary>Kestrel + ASP.NET Core's WebSocket middleware + the embedded echo app (Harness/Targets/KestrelEchoServer.cs).</summary>
    public static Func<string, ExpectedVerdicts?> Kestrel { get; } = For(new()
    {
        ["15.2.1"] = (Behavior.NonStrict, AppAnswers426),
        ["15.2.2"] = (Behavior.NonStrict, AppAnswers426),
        ["15.2.3"] = (Behavior.NonStrict, AppAnswers426),
        ["15.2.4"] = (Behavior.NonStrict, AppAnswers426),
        ["15.2.9"] = (Behavior.Failed, "Kestrel upgrades an HTTP/1.0 request that carries the upgrade fields (101); RFC 7230 §6.7 / RFC 9110 §7.8: a server MUST ignore Upgrade in an HTTP/1.0 request."),
    }, PeerRoles.Server);

    /// <summary>The npm package ws 8.18 as a server (lib/websocket-server.js handleUpgrade).</summary>
    public static Func<string, ExpectedVerdicts?> Ws { get; } = For(new()
    {
        ["15.2.5"] = (Behavior.Informational, "ws accepts version 8 as well as 13 (handleUpgrade: 'version !== 8 && version !== 13' is refused), which §4.4 allows: INFORMATIONAL."),
        ["15.2.6"] = (Behavior.NonStrict, "ws refuses version 14 with 400 and 'Sec-WebSocket-Version: 13, 8' (abortHandshake): the field is there, the status is not the RFC's 426."),
        ["15.2.7"] = (Behavior.NonStrict, "ws refuses 'thirteen' with 400 and 'Sec-WebSocket-Version: 13, 8'."),
        ["15.2.9"] = (Behavior.Failed, "Node's HTTP server hands an HTTP/1.0 request with Upgrade to ws's 'upgrade' handler, and ws answers 101; RFC 7230 §6.7 / RFC 9110 §7.8: a server MUST ignore Upgrade in an HTTP/1.0 request."),
        ["15.2.16"] = (Behavior.Failed, "Neither Node's upgrade path nor ws checks Host: a request without Host is upgraded; RFC 9112 §3.2 requires 400."),
        ["15.2.17"] = (Behavior.Failed, "A request with two Host fields is upgraded; RFC 9112 §3.2 requires 400."),
    }, PeerRoles.Server);

    /// <summary>Debian's python3-websockets 10.4 as a server (websockets/legacy/server.py, handshake.py).</summary>
    public static Func<string, ExpectedVerdicts?> PythonWebsockets { get; } = For(new()
    {
        ["15.2.5"] = (Behavior.Failed, PythonBadVersion),
        ["15.2.6"] = (Behavior.Failed, PythonBadVersion),
        ["15.2.7"] = (Behavior.NonStrict, PythonBadVersion),
        ["15.2.16"] = (Behavior.Failed, "websockets 10.4 does not require Host (legacy/http.py read_request): a request without it is upgraded; RFC 9112 §3.2 requires 400."),
        ["15.2.17"] = (Behavior.Failed, "websockets 10.4 upgrades a request with two Host fields; RFC 9112 §3.2 requires 400."),
    }, PeerRoles.Server);

    /// <summary>.NET's ClientWebSocket (System.Net.WebSockets.Client, WebSocketHandle.Managed.cs).</summary>
    public static Func<string, ExpectedVerdicts?> ClientWebSocket { get; } = For(new()
    {
        ["15.3.12"] = (Behavior.NonStrict, "ClientWebSocket goes on after 'HTTP/1.0 101 Switching Protocols' (SocketsHttpHandler accepts the 1.0 status line); RFC 6455 §4.1's checks do not name the version: NON-STRICT."),
        ["15.3.14"] = (Behavior.Failed, DotNetIgnoresExtensions),
        ["15.3.15"] = (Behavior.Failed, DotNetIgnoresExtensions),
        ["15.4.4"] = (Behavior.Failed, "ClientWebSocket refuses 'Connection: keep-alive, Upgrade': ValidateHeader requires exactly one value equal to 'Upgrade' (WebSocketHandle.Managed.cs), where RFC 6455 §4.1 item 3 asks only that the field contain the token."),
    }, PeerRoles.Client);

    /// <summary>The npm package ws 8.18 as a client (lib/websocket.js initAsClient).</summary>
    public static Func<string, ExpectedVerdicts?> WsClient { get; } = For(new()
    {
        ["15.3.12"] = (Behavior.NonStrict, "ws goes on after 'HTTP/1.0 101 Switching Protocols' (Node's HTTP parser accepts it as an upgrade); RFC 6455 §4.1's checks do not name the version: NON-STRICT."),
    }, PeerRoles.Client);

    private const string AppAnswers426 = "ASP.NET Core's WebSocket middleware treats a request that is not a valid upgrade as plain HTTP and hands it to the app; the embedded echo app answers every plain request 426 Upgrade Required (with Sec-WebSocket-Version: 13, so the version refusals 15.2.5–15.2.7 are OK).";
    private const string PythonBadVersion = "websockets 10.4 refuses an unsupported Sec-WebSocket-Version with 400 and no Sec-WebSocket-Version field (InvalidHeaderValue in handshake.py check_request), which RFC 6455 §4.2.2 requires.";
    private const string DotNetIgnoresExtensions = "ClientWebSocket reads Sec-WebSocket-Extensions only when it offered permessage-deflate (options.DangerousDeflateOptions, WebSocketHandle.Managed.cs); the embedded driver offers nothing, so an accepted extension it never offered is ignored, not refused (RFC 6455 §4.1 item 5).";

    /// <summary>Expectations for category 15 in one role: OK (OK / OK for an established connection, OK / INFORMATIONAL for a refusal), except the listed differences.</summary>
    private static Func<string, ExpectedVerdicts?> For(Dictionary<string, (Behavior Behavior, string Why)> differences, PeerRoles role) => id =>
    {
        if (CaseCatalogue.Find(id) is not { Handshake: { } rule } @case || !@case.AppliesTo(role))
        {
            return null;
        }

        bool opens = rule is HandshakeRule.Established;
        var conformant = opens ? Verdicts.Ok : Refused;
        if (!differences.TryGetValue(id, out var known))
        {
            return new ExpectedVerdicts(conformant, ExpectationSource.Rfc);
        }

        var close = opens ? (known.Behavior == Behavior.Failed ? CloseBehavior.Failed : CloseBehavior.Ok) : CloseBehavior.Informational;
        return new ExpectedVerdicts(new Verdicts(known.Behavior, close), ExpectationSource.KnownDifference, known.Why);
    };

    /// <summary>The listed differences, for tests that print or count them.</summary>
    public static IEnumerable<string> FailedIn(Func<string, ExpectedVerdicts?> expectations, PeerRoles role) =>
        CaseCatalogue.All.Where(c => c.Category == 15 && c.AppliesTo(role)).Select(c => c.Id.Text)
            .Where(id => expectations(id) is { Verdicts.Behavior: Behavior.Failed });
}
