namespace Conformance.Cases.Protocol;

/// <summary>Close status codes, RFC 6455 §7.4 and the IANA "WebSocket Close Code Number Registry".</summary>
public static class CloseCodes
{
    public const ushort Normal = 1000;
    public const ushort GoingAway = 1001;
    public const ushort ProtocolError = 1002;
    public const ushort UnsupportedData = 1003;
    public const ushort NoStatusReceived = 1005; // §7.4.1: MUST NOT be sent in a close frame
    public const ushort Abnormal = 1006;         // §7.4.1: MUST NOT be sent in a close frame
    public const ushort InvalidPayload = 1007;
    public const ushort PolicyViolation = 1008;
    public const ushort MessageTooBig = 1009;
    public const ushort MandatoryExtension = 1010;
    public const ushort InternalError = 1011;
    public const ushort ServiceRestart = 1012;   // IANA, registered after RFC 6455
    public const ushort TryAgainLater = 1013;    // IANA
    public const ushort BadGateway = 1014;       // IANA
    public const ushort TlsHandshake = 1015;     // §7.4.1: MUST NOT be sent in a close frame

    /// <summary>
    /// Whether a peer may put <paramref name="code"/> in a close frame (RFC 6455 §7.4.1, §7.4.2).
    /// 0–999 are unused, 1004–1006 and 1015 are reserved or must not be sent, 1016–2999 are
    /// reserved for future RFCs (1012–1014 have since been registered with IANA and are valid),
    /// 3000–4999 are for libraries and applications, anything above is undefined.
    /// Autobahn|Testsuite still rejects 1012–1014; we follow the registry.
    /// </summary>
    public static bool IsValidOnWire(int code) => code switch
    {
        >= 1000 and <= 1003 => true,
        >= 1007 and <= 1014 => true,
        >= 3000 and <= 4999 => true,
        _ => false,
    };

    public static string Describe(int code) => code switch
    {
        Normal => "Normal Closure",
        GoingAway => "Going Away",
        ProtocolError => "Protocol Error",
        UnsupportedData => "Unsupported Data",
        NoStatusReceived => "No Status Received",
        Abnormal => "Abnormal Closure",
        InvalidPayload => "Invalid Frame Payload Data",
        PolicyViolation => "Policy Violation",
        MessageTooBig => "Message Too Big",
        MandatoryExtension => "Mandatory Extension",
        InternalError => "Internal Error",
        ServiceRestart => "Service Restart",
        TryAgainLater => "Try Again Later",
        BadGateway => "Bad Gateway",
        TlsHandshake => "TLS Handshake",
        >= 3000 and <= 3999 => "registered for libraries and frameworks",
        >= 4000 and <= 4999 => "private use",
        _ => "not a valid close code",
    };
}
