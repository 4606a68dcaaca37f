namespace Conformance.Harness.Wire;

/// <summary>
/// What the client-testing listener can tell about a request head before it has ended: octets that can never become
/// an HTTP/1.1 head are answered at once with what they are, instead of waiting for the head's deadline.
/// </summary>
internal static class RequestHeadCheck
{
    /// <summary>A TLS record of type handshake (RFC 8446 §5.1: content type 22), the first octet of a ClientHello.</summary>
    private const byte TlsHandshakeRecord = 0x16;

    /// <summary>Why the octets so far cannot be a request head, or null while they may still be one.</summary>
    public static string? Refusal(ReadOnlySpan<byte> received)
    {
        if (received.Length > 0 && received[0] == TlsHandshakeRecord)
        {
            return "this is a TLS handshake (a ClientHello) on a plain port: connect with ws://, not wss:// (this server does not speak TLS)";
        }

        int lf = received.IndexOf((byte)'\n');
        while (lf >= 0)
        {
            if (lf == 0 || received[lf - 1] != '\r')
            {
                return "the request's lines end in a bare LF: HTTP/1.1 lines end in CRLF (RFC 9112 §2.2)";
            }

            int next = received[(lf + 1)..].IndexOf((byte)'\n');
            lf = next < 0 ? -1 : lf + 1 + next;
        }

        return null;
    }
}
