using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Conformance.Harness.Cli;
using Conformance.Harness.Targets;
using Conformance.Harness.Transport;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Tls;

/// <summary>
/// <c>test-server wss://…</c> against Kestrel serving TLS with a generated certificate: trusted through <c>--ca</c>,
/// refused without it (exit 2, one line naming <c>--ca</c> and <c>--insecure</c>), accepted with <c>--insecure</c>.
/// </summary>
[TestFixture]
[NonParallelizable] // captures the process-wide console
public sealed class TlsServerTestingTests
{
    private const string Cases = "1.1.*,5.1";

    private TempFolder? _folder;
    private X509Certificate2? _certificate;
    private KestrelEchoServer? _kestrel;

    private TempFolder Folder => _folder ?? throw new InvalidOperationException("no folder");

    private string Url => (_kestrel ?? throw new InvalidOperationException("no Kestrel")).Url.ToString();

    private string CaFile => Folder.File("kestrel-ca.pem");

    [OneTimeSetUp]
    public async Task Start_Kestrel_over_TLS()
    {
        _folder = new TempFolder("wsconf-tls-server");
        _certificate = SelfSignedCertificate.Create([]);
        await File.WriteAllTextAsync(CaFile, SelfSignedCertificate.Pem(_certificate));
        _kestrel = await KestrelEchoServer.StartAsync(certificate: _certificate);
    }

    [OneTimeTearDown]
    public async Task Stop_it()
    {
        if (_kestrel is not null)
        {
            await _kestrel.DisposeAsync();
        }

        _certificate?.Dispose();
        _folder?.Dispose();
    }

    [Test]
    public async Task Kestrel_over_wss_passes_with_its_certificate_given_by_ca()
    {
        var outcome = await RunAsync("test-server", Url, "--ca", CaFile, "--cases", Cases, "--out", Folder.File("ca"));

        Assert.That(Url, Does.StartWith("wss://"));
        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("Ran 9 case(s)"), outcome.ToString());
    }

    [Test]
    public async Task Kestrel_over_wss_passes_with_insecure()
    {
        var outcome = await RunAsync("test-server", Url, "--insecure", "--cases", "1.1.1", "--out", Folder.File("insecure"));

        Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Passed), outcome.ToString());
    }

    [Test]
    public async Task An_untrusted_certificate_is_one_line_naming_ca_and_insecure_and_exit_2()
    {
        var outcome = await RunAsync("test-server", Url, "--cases", "1.1.1", "--out", Folder.File("untrusted"));

        AssertUsageError(outcome, "certificate is not trusted");
        Assert.That(outcome.Error, Does.Contain("--ca FILE").And.Contain("--insecure"));
    }

    [Test]
    public async Task A_different_certificate_given_by_ca_does_not_make_it_trusted()
    {
        using var other = SelfSignedCertificate.Create([]);
        string otherFile = Folder.File("other.pem");
        await File.WriteAllTextAsync(otherFile, SelfSignedCertificate.Pem(other));

        AssertUsageError(await RunAsync("test-server", Url, "--ca", otherFile, "--cases", "1.1.1", "--out", Folder.File("other")), "certificate is not trusted");
    }

    [TestCase("not a certificate\n", "holds no PEM certificate")]
    [TestCase(null, "cannot read --ca")]
    public async Task A_bad_ca_file_is_one_line_and_exit_2(string? content, string fragment)
    {
        string path = Folder.File("bad-ca.pem");
        File.Delete(path);
        if (content is not null)
        {
            await File.WriteAllTextAsync(path, content);
        }

        AssertUsageError(await RunAsync("test-server", Url, "--ca", path, "--cases", "1.1.1", "--out", Folder.File("bad")), fragment);
    }

    [Test]
    public async Task The_URL_host_name_is_sent_as_SNI_and_checked_against_the_certificate()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var sni = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = Task.Run(async () =>
        {
            using var tcp = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateSelectionCallback = (_, name) =>
                {
                    sni.TrySetResult(name);
                    return _certificate!;
                },
            });
        });

        await using var connection = await TcpConnection.ConnectAsync(new Uri($"wss://localhost:{port}/"), TimeSpan.FromSeconds(10), TlsClientPolicy.WithCaFile(CaFile), CancellationToken.None);

        Assert.That(await sni.Task.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo("localhost"));
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<(int Exit, string Out, string Error, IReadOnlyList<string> ErrorLines)> RunAsync(params string[] args)
    {
        using var console = new ConsoleCapture();
        int exit = await App.RunAsync(args);
        return (exit, console.Out, console.Error, console.ErrorLines);
    }

    private static void AssertUsageError((int Exit, string Out, string Error, IReadOnlyList<string> ErrorLines) outcome, string fragment)
    {
        string all = $"exit {outcome.Exit}\nstdout:\n{outcome.Out}\nstderr:\n{outcome.Error}";
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Exit, Is.EqualTo(ExitCodes.Usage), all);
            Assert.That(outcome.ErrorLines, Has.Count.EqualTo(1), all);
            Assert.That(outcome.Error, Does.Contain(fragment), all);
            Assert.That(outcome.Error + outcome.Out, Does.Not.Contain("   at "), "no stack trace\n" + all);
        });
    }
}
