using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;
using Conformance.Harness.Transport;
using Conformance.Reports.Model;
using Conformance.Tests.Clients;
using Conformance.Tests.Support;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Tls;

/// <summary>
/// The client-testing server over TLS, against hand-made bad clients and real ones: the TLS handshake has its own
/// bound, and one client's TLS failure leaves the others alone.
/// </summary>
[TestFixture]
public sealed class TlsListenerTests
{
    private static readonly IReadOnlyList<Case> Framing = CaseSelection.Select(CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client), ["1.1.1"], []);

    private readonly ConcurrentQueue<CaseResult> _finished = new();
    private readonly ConcurrentQueue<string> _log = new();
    private TempFolder? _folder;
    private TlsServerOptions? _tls;

    private TlsServerOptions Tls => _tls ?? throw new InvalidOperationException("no certificate");

    [OneTimeSetUp]
    public void Make_the_certificate()
    {
        _folder = new TempFolder("wsconf-tls-listener");
        _tls = TlsServerOptions.Generate(_folder.Path, []);
    }

    [OneTimeTearDown]
    public void Delete_it()
    {
        _tls?.Certificate.Dispose();
        _folder?.Dispose();
    }

    private ClientTesting Start() => ClientTesting.Start(
        new ClientTestOptions { Plan = RunPlan.ForClients(Framing), Timers = new Timers { Scale = 0.2 }, Tls = Tls },
        _finished.Enqueue,
        _log.Enqueue);

    private async Task ResultsArrivedAsync(int count)
    {
        var deadline = Stopwatch.StartNew();
        while (_finished.Count < count && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }
    }

    [Test]
    public async Task A_client_that_opens_TCP_and_sends_nothing_is_closed_after_the_TLS_bound()
    {
        await using var server = Start();
        await using var silent = await RawClient.ConnectAsync(server.Port);
        var clock = Stopwatch.StartNew();

        string answer = await silent.ReadToEndAsync(TimeSpan.FromSeconds(10));

        Assert.That(answer, Is.Empty);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "5 s × 0.2");
        Assert.That(() => _log, Has.Some.Contains("TLS handshake failed: none completed within 1 s").After(5000, 20), "the server logs after it has closed the connection");
    }

    [Test]
    public async Task Plain_HTTP_or_garbage_instead_of_TLS_fails_only_that_connection()
    {
        await using var server = Start();
        await using var plain = await RawClient.ConnectAsync(server.Port);
        await plain.SendAsync(RawClient.Upgrade("/runCase?case=1&agent=plain"));
        var stalled = await RawClient.ConnectAsync(server.Port); // holds a slot while the real client runs

        string outcome = await ClientWebSocketDriver.EchoCaseAsync(new Uri(server.BaseUrl + "/runCase?case=1&agent=tls"), CancellationToken.None, Tls.Certificate);

        Assert.That(await plain.ReadToEndAsync(TimeSpan.FromSeconds(10)), Does.Not.StartWith("HTTP/"), "no HTTP over a failed TLS handshake");
        Assert.That(outcome, Does.Contain("closed by the server"));
        await stalled.DisposeAsync();
        await ResultsArrivedAsync(1); // the client sees the close before the server has judged and posted the case
        Assert.That(_finished.Select(r => (r.Agent, r.Behavior)), Is.EqualTo(new[] { ("tls", Behavior.Ok) }));
        Assert.That(() => _log, Has.Some.Contains("TLS handshake failed").After(5000, 20), "the server logs after it has closed the connection");
    }

    [Test]
    public async Task The_browser_page_is_served_over_https()
    {
        await using var server = Start();
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.Thumbprint == Tls.Certificate.Thumbprint };
        using var http = new HttpClient(handler);

        string page = await http.GetStringAsync(server.PageUrl);

        Assert.That(server.PageUrl, Does.StartWith("https://127.0.0.1:"));
        Assert.That(page, Does.Contain("wss://"), "the page picks wss:// when loaded over https");
    }

    [Test]
    public void The_generated_certificate_names_the_loopback_addresses_and_localhost()
    {
        var names = Tls.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.That(names.EnumerateDnsNames(), Does.Contain("localhost"));
        Assert.That(names.EnumerateIPAddresses().Select(a => a.ToString()), Is.SupersetOf(new[] { "127.0.0.1", "::1" }));
        Assert.That(File.ReadAllText(Tls.TrustFile), Does.Not.Contain("PRIVATE KEY"));
    }
}
