using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Conformance.Harness.Cli;

namespace Conformance.Harness.Transport;

/// <summary>
/// How <c>test-server</c> checks a wss:// target's certificate: the system's trust store (the default), also
/// the certificates of a PEM file (<c>--ca FILE</c>: a CA, or a self-signed server certificate itself), or not at
/// all (<c>--insecure</c>). The host name is always checked unless insecure; SNI carries the URL's host name.
/// </summary>
internal sealed class TlsClientPolicy
{
    public static readonly TlsClientPolicy System = new(acceptAny: false, null);

    public static readonly TlsClientPolicy AcceptAny = new(acceptAny: true, null);

    private readonly X509Certificate2Collection? _trusted;

    private TlsClientPolicy(bool acceptAny, X509Certificate2Collection? trusted)
    {
        IsInsecure = acceptAny;
        _trusted = trusted;
    }

    public bool IsInsecure { get; }

    /// <summary>The file given with <c>--ca</c>, if any (for the run's facts).</summary>
    public string? CaFile { get; private init; }

    /// <summary>Trusts the certificates in a PEM file beside the system store. A file with none is a usage error.</summary>
    public static TlsClientPolicy WithCaFile(string path)
    {
        var trusted = new X509Certificate2Collection();
        try
        {
            trusted.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read --ca {path}: {e.Message}");
        }
        catch (CryptographicException e)
        {
            throw new UsageException($"--ca {path} is not a PEM certificate file: {e.Message.TrimEnd('.')}");
        }

        if (trusted.Count == 0)
        {
            throw new UsageException($"--ca {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        return new TlsClientPolicy(acceptAny: false, trusted) { CaFile = Path.GetFullPath(path) };
    }

    /// <summary>The client options of one TLS handshake to <paramref name="host"/> (also its SNI name).</summary>
    public SslClientAuthenticationOptions OptionsFor(string host) => new()
    {
        TargetHost = host,
        RemoteCertificateValidationCallback = IsInsecure ? static (_, _, _, _) => true : _trusted is null ? null : Validate,
    };

    /// <summary>The system's verdict, or, when only the chain failed, a chain built to the <c>--ca</c> certificates.</summary>
    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false; // a name mismatch or no certificate: --ca does not excuse those
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trusted!);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    /// <summary>
    /// True when a connection failed because the peer's certificate was refused; the message then names the ways out.
    /// </summary>
    public static bool IsCertificateProblem(Exception e, out string problem)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException auth)
            {
                problem = $"TLS handshake failed: {auth.Message.TrimEnd('.')}";
                if (auth.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
                {
                    problem = $"the server's TLS certificate is not trusted ({auth.Message.TrimEnd('.')}): pass --ca FILE with its CA (or itself) in PEM, or --insecure to accept any certificate";
                }

                return true;
            }
        }

        problem = "";
        return false;
    }
}
