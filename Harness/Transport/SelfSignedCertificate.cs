using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conformance.Harness.Transport;

/// <summary>
/// The certificate <c>test-client --tls</c> serves when none is given: self-signed, made at start, valid for a few
/// days, with subject alternative names for the loopback addresses, <c>localhost</c> and the listen host
/// (RFC 6125 §6.4: clients match the name they dialled against the SANs, not the CN).
/// </summary>
internal static class SelfSignedCertificate
{
    public const string SubjectName = "CN=wsconf test certificate (self-signed)";

    private static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    /// <summary>A new certificate with its private key (ECDSA P-256), usable by SslStream as a server certificate.</summary>
    public static X509Certificate2 Create(IEnumerable<string> extraNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(SubjectName, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (string name in new[] { "127.0.0.1", "::1", "localhost" }.Concat(extraNames).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(name.Trim('[', ']'), out var address))
            {
                if (!address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
                {
                    names.AddIpAddress(address);
                }
            }
            else if (Uri.CheckHostName(name) == UriHostNameType.Dns)
            {
                names.AddDnsName(name); // a name DNS cannot carry (e.g. a machine name with '_') is left out
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // serverAuth
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var made = request.CreateSelfSigned(now.AddHours(-1), now + Validity);

        // A PKCS#12 round trip gives a certificate whose key every platform's TLS stack can use (Windows needs it).
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>The certificate (not its key) in PEM, for clients to trust.</summary>
    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";
}
