using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Conformance.Harness.Cli;

namespace Conformance.Harness.Transport;

/// <summary>
/// TLS for the client-testing server (<c>test-client --tls</c>): the certificate it serves and the PEM file a
/// client is told to trust (<c>WSCONF_CA</c>).
/// </summary>
/// <param name="Certificate">The server certificate with its private key.</param>
/// <param name="TrustFile">A PEM file a client can trust to accept <paramref name="Certificate"/>.</param>
internal sealed record TlsServerOptions(X509Certificate2 Certificate, string TrustFile)
{
    /// <summary>The name of the generated certificate's PEM in the results folder.</summary>
    public const string GeneratedPemName = "wsconf-ca.pem";

    /// <summary>A self-signed certificate made now for the listen host, its PEM written to <paramref name="folder"/>.</summary>
    public static TlsServerOptions Generate(string folder, IEnumerable<string> hostNames)
    {
        var certificate = SelfSignedCertificate.Create(hostNames);
        string path = Path.GetFullPath(Path.Combine(folder, GeneratedPemName));
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(path, SelfSignedCertificate.Pem(certificate));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write the TLS certificate to {path}: {e.Message}");
        }

        return new TlsServerOptions(certificate, path);
    }

    /// <summary>The certificate and key given as PEM files (<c>--cert</c>, <c>--key</c>); a problem is a usage error in one line.</summary>
    public static TlsServerOptions Load(string certFile, string keyFile)
    {
        X509Certificate2 loaded;
        try
        {
            loaded = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the TLS certificate or key: {e.Message}");
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new UsageException($"--cert {certFile} --key {keyFile}: not a PEM certificate and its matching unencrypted private key ({e.Message.TrimEnd('.')})");
        }

        if (!loaded.HasPrivateKey)
        {
            throw new UsageException($"--key {keyFile} holds no private key for the certificate in {certFile}");
        }

        using (loaded)
        {
            // As for generated certificates: a PKCS#12 round trip gives a key every platform's TLS stack can use.
            var usable = X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), password: null);
            return new TlsServerOptions(usable, Path.GetFullPath(certFile));
        }
    }

    /// <summary>TLS errors in a few words, for the one log line per failed handshake.</summary>
    public static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "no TLS handshake in time",
        AuthenticationException { InnerException: { } inner } a => $"{a.Message.TrimEnd('.')}: {inner.Message.TrimEnd('.')}",
        IOException when e.Message.Contains("EOF", StringComparison.Ordinal) || e.Message.Contains("0 bytes", StringComparison.Ordinal) => "the client closed the connection during the TLS handshake (does it trust the certificate? WSCONF_CA names its PEM)",
        _ => e.Message.TrimEnd('.'),
    };
}
