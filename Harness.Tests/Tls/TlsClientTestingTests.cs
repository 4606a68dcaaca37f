using System.Security.Cryptography.X509Certificates;
using Conformance.Harness.Cli;
using Conformance.Harness.Targets;
using Conformance.Harness.Transport;
using Conformance.Reports.Model;
using Conformance.Tests.Clients;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Tls;

/// <summary>
/// <c>test-client --tls</c> end to end through the command line, against clients we did not write: the npm <c>ws</c>
/// client (trusting the generated certificate through <c>NODE_EXTRA_CA_CERTS=$WSCONF_CA</c>) and .NET's
/// ClientWebSocket (pinning it). A handful of cases each: TLS changes the transport, not the verdicts.
/// </summary>
[TestFixture]
[NonParallelizable] // captures the process-wide console
public sealed class TlsClientTestingTests
{
    private const string Cases = "1.1.*,5.1";
    private const int CaseCount = 9;

    private TempFolder? _folder;

    private TempFolder Folder => _folder ?? throw new InvalidOperationException("no temp folder");

    private string OutDir => Folder.File("out");

    [SetUp]
    public void New_folder() => _folder = new TempFolder("wsconf-tls");

    [TearDown]
    public void Delete_folder() => _folder?.Dispose();

    [Test]
    public async Task The_ws_client_passes_over_wss_when_told_to_trust_the_generated_certificate()
    {
        var outcome = await ClientRuns.RunAsync("test-client", "--tls", "--port", "0", "--cases", Cases, "--out", OutDir, "--exec", await WsDriverAsync(trust: true));

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("Listening on wss://127.0.0.1:"));
        Assert.That(File.ReadAllText(Path.Combine(OutDir, TlsServerOptions.GeneratedPemName)), Does.StartWith("-----BEGIN CERTIFICATE-----"));
        AssertAllOk(outcome, "ws-tls");
    }

    [Test]
    public async Task The_ws_client_refuses_the_certificate_when_not_told_to_trust_it_and_no_case_runs()
    {
        var outcome = await ClientRuns.RunAsync("test-client", "--tls", "--port", "0", "--cases", Cases, "--out", OutDir, "--exec-timeout", "60", "--exec", await WsDriverAsync(trust: false));

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Failed), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("No client ran a case"), outcome.ToString());
        Assert.That(outcome.Out + outcome.Error, Does.Contain("self-signed certificate"), "node's own words, in the client's output tail");
        Assert.That(outcome.Out + outcome.Error, Does.Contain("TLS handshake failed"), "the server's one line per refused handshake");
    }

    [Test]
    public async Task The_embedded_ClientWebSocket_passes_over_wss_pinning_the_generated_certificate()
    {
        var outcome = await ClientRuns.RunAsync("test-client", "--tls", "--cases", Cases, "--out", OutDir);

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("wss://127.0.0.1:"));
        AssertAllOk(outcome, ClientWebSocketDriver.Agent);
    }

    [Test]
    public async Task A_given_certificate_and_key_are_served_instead_of_a_generated_one()
    {
        using var made = SelfSignedCertificate.Create([]);
        string cert = Folder.File("server.crt"), key = Folder.File("server.key");
        await File.WriteAllTextAsync(cert, made.ExportCertificatePem());
        await File.WriteAllTextAsync(key, made.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var outcome = await ClientRuns.RunAsync("test-client", "--cert", cert, "--key", key, "--port", "0", "--cases", Cases, "--out", OutDir, "--exec", await WsDriverAsync(trust: true));

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain(Path.GetFullPath(cert)), "WSCONF_CA is the given certificate");
        Assert.That(File.Exists(Path.Combine(OutDir, TlsServerOptions.GeneratedPemName)), Is.False, "nothing generated");
        AssertAllOk(outcome, "ws-tls");
    }

    [Test]
    public async Task A_wss_url_in_a_fuzzingserver_spec_turns_TLS_on()
    {
        string spec = ClientRuns.WriteSpec(Folder, OutDir, ["1.1.1"]);
        await File.WriteAllTextAsync(spec, (await File.ReadAllTextAsync(spec)).Replace("ws://127.0.0.1:0", "wss://127.0.0.1:0", StringComparison.Ordinal));

        var outcome = await ClientRuns.RunAsync("test-client", "--spec", spec, "--exec", await WsDriverAsync(trust: true));

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("Listening on wss://"));
    }

    [TestCase("garbage", "garbage", "not a PEM certificate")]
    [TestCase("certificate-only", "certificate-only", "not a PEM certificate and its matching")]
    [TestCase("missing", "missing", "cannot read the TLS certificate or key")]
    [TestCase("certificate-only", null, "--cert needs --key")]
    public async Task A_bad_certificate_or_key_is_one_line_and_exit_2(string certKind, string? keyKind, string fragment)
    {
        using var made = SelfSignedCertificate.Create([]);
        string Write(string kind)
        {
            string path = Folder.File(kind + ".pem");
            if (kind != "missing")
            {
                File.WriteAllText(path, kind == "garbage" ? "not a certificate\n" : made.ExportCertificatePem());
            }

            return path;
        }

        string[] args = ["test-client", "--port", "0", "--cases", Cases, "--out", OutDir, "--exec", "exit 0", "--cert", Write(certKind)];
        var outcome = await ClientRuns.RunAsync(keyKind is null ? args : [.. args, "--key", Write(keyKind)]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
            Assert.That(outcome.ErrorLines, Has.Count.EqualTo(1), outcome.ToString());
            Assert.That(outcome.Error, Does.Contain(fragment), outcome.ToString());
            Assert.That(outcome.Error + outcome.Out, Does.Not.Contain("   at "), "no stack trace\n" + outcome);
        });
    }

    /// <summary>The ws driver as an --exec command; trusting the PEM the harness names in WSCONF_CA, or not.</summary>
    private static async Task<string> WsDriverAsync(bool trust)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("the command lines here are POSIX sh");
        }

        string moduleDir = await NodeWs.EnsureInstalledAsync();
        string driver = Path.Combine(AppContext.BaseDirectory, "ws-client-driver.js");
        string node = $"node {ClientRuns.Quote(driver)} {ClientRuns.Env("WSCONF_URL")} ws-tls {ClientRuns.Quote(moduleDir)}";
        return trust ? $"NODE_EXTRA_CA_CERTS={ClientRuns.Env("WSCONF_CA")} {node}" : node;
    }

    private void AssertAllOk(CliOutcome outcome, string agent)
    {
        var index = ResultsIndex.Read(OutDir);
        Assert.That(index.Keys, Is.EqualTo(new[] { agent }), outcome.ToString());
        Assert.That(index[agent], Has.Count.EqualTo(CaseCount));
        Assert.That(index[agent].Select(o => o.Verdicts.Behavior), Has.All.EqualTo(Behavior.Ok), outcome.ToString());
    }
}
