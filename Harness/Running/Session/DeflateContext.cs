using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Wire.Deflate;

namespace Conformance.Harness.Running;

/// <summary>
/// permessage-deflate (RFC 7692) in one session, for either role: what was agreed, the tester's
/// compressor and decompressor, what the case found, and the traffic for the compression ratios.
/// </summary>
internal sealed class DeflateContext : IDisposable
{
    private long _appOut;
    private long _wsOut;

    public DeflateAgreement? Agreement { get; private set; }

    public string Negotiation { get; private set; } = "";

    /// <summary>Why this machine cannot compress at all (no zlib): the case fails with that reason.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Why the case cannot test what it is about: UNIMPLEMENTED.</summary>
    public string? Unimplemented { get; set; }

    /// <summary>A rule the peer's compressed data broke, found by the inspector.</summary>
    public string? PeerViolation { get; set; }

    public DeflateDirection? TesterSends { get; private set; }

    public DeflateDirection? PeerSends { get; private set; }

    public RawDeflater? Deflater { get; private set; }

    public RawInflater? Inflater { get; private set; }

    public bool Agreed => Agreement is not null;

    /// <summary>Application-level and WebSocket-level payload octets received (under the session lock).</summary>
    public long AppIn { get; set; }

    public long WsIn { get; set; }

    /// <param name="agreement">Null when nothing was agreed (then RSV1 from the peer is a protocol error, RFC 6455 §5.2).</param>
    public void Use(DeflateAgreement? agreement, string negotiation, string? unavailable, bool testerIsServer)
    {
        Agreement = agreement;
        Negotiation = negotiation;
        Unavailable = unavailable;
        if (agreement is null)
        {
            return;
        }

        TesterSends = agreement.TesterSends(testerIsServer);
        PeerSends = agreement.PeerSends(testerIsServer);
        Deflater = new RawDeflater(TesterSends.WindowBits);
        Inflater = new RawInflater(PeerSends.WindowBits);
    }

    /// <summary>Counts a message the tester sends: its application-level and compressed lengths.</summary>
    public void CountSent(long appLength, long wsLength)
    {
        Interlocked.Add(ref _appOut, appLength);
        Interlocked.Add(ref _wsOut, wsLength);
    }

    public DeflateObservations? Observations(DeflateSetup? setup) => setup is null ? null : new DeflateObservations
    {
        Negotiation = Negotiation,
        Agreement = Agreement,
        Unimplemented = Unavailable is null ? Unimplemented : null,
        Unavailable = Unavailable,
        PeerViolation = PeerViolation,
        Statistics = Agreement is null ? null : $"compression ratio out (tester) {Ratio(Interlocked.Read(ref _wsOut), Interlocked.Read(ref _appOut))}, in (peer) {Ratio(WsIn, AppIn)}",
    };

    private static string Ratio(long ws, long app) => app == 0 ? "-" : (ws / (double)app).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Deflater?.Dispose();
        Inflater?.Dispose();
    }
}
