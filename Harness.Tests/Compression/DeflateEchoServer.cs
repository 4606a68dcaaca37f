using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;

namespace Conformance.Tests.Compression;

/// <summary>The one permessage-deflate rule a <see cref="DeflateEchoServer"/> breaks (none by default).</summary>
public enum DeflateFault
{
    None,

    /// <summary>Agrees to the client's server_max_window_bits but compresses with a window of 2^15 anyway (RFC 7692 §7.1.2.1).</summary>
    WindowTooLarge,

    /// <summary>Agrees to server_no_context_takeover but keeps one compressor for the whole connection (RFC 7692 §7.1.1.1).</summary>
    KeepsContext,

    /// <summary>Accepts the first permessage-deflate offer whatever its parameters (RFC 7692 §7 requires declining invalid ones).</summary>
    AcceptsInvalidOffers,

    /// <summary>Answers a ping with RSV1 set instead of failing the connection (RFC 7692 §6).</summary>
    IgnoresRsv1OnControlFrames,

    /// <summary>Accepts an offer with server_max_window_bits without repeating it (RFC 7692 §7.1.2.1), as Boost.Beast 1.74 does; compresses with 2^15.</summary>
    OmitsServerMaxWindowBits,

    /// <summary>Accepts an offer with server_no_context_takeover without repeating it (RFC 7692 §7.1.1.1); still compresses each echo on its own.</summary>
    OmitsServerNoContextTakeover,
}

/// <summary>
/// A small permessage-deflate echo server for tests: a <see cref="PeerServer"/> configuration on
/// System.IO.Compression (which has a fixed 2^15 window) and the kit's frame helpers; no harness code. Sound by default: it declines invalid
/// offers (RFC 7692 §7), always answers with client_no_context_takeover (so it can inflate each message on
/// its own), compresses each echo on its own (which honours server_no_context_takeover), and sends echoes
/// uncompressed when the client asked for a window below 2^15, which it cannot compress within. One
/// <see cref="DeflateFault"/> breaks exactly one rule.
/// </summary>
internal sealed class DeflateEchoServer : IAsyncDisposable
{
    private static readonly byte[] Trailer = [0x00, 0x00, 0xFF, 0xFF];

    private readonly PeerServer _server;

    private DeflateEchoServer(DeflateFault fault)
    {
        Fault = fault;
        _server = PeerServer.Start(c => EchoAsync(c, (Agreed?)c.State), HandshakeAsync);
    }

    public DeflateFault Fault { get; }

    public Uri Url => _server.Url;

    /// <summary>Exceptions that are not plain I/O ends: bugs in the server itself.</summary>
    public ConcurrentQueue<Exception> Errors => _server.Errors;

    public static DeflateEchoServer Start(DeflateFault fault = DeflateFault.None) => new(fault);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed record Agreed(int? ServerWindow, bool ServerNoContext);

    /// <summary>RFC 6455 §4.2.2 with RFC 7692 §5: the 101 carries the negotiated permessage-deflate, which the echo script reads back.</summary>
    private async Task<bool> HandshakeAsync(ScriptedConnection connection)
    {
        if (await connection.ReadRequestAsync() is not { } request)
        {
            return false;
        }

        var (response, agreed) = Negotiate(request.Joined("Sec-WebSocket-Extensions"));
        connection.State = agreed;
        string accept = PeerRequest.AcceptFor(request.Joined("Sec-WebSocket-Key") ?? "");
        await connection.Write(Handshakes.SwitchingProtocols(accept, response is null ? [] : [$"Sec-WebSocket-Extensions: {response}"])).FlushAsync();
        return true;
    }

    /// <summary>The first acceptable offer (RFC 7692 §7.1), written independently of the harness's parser.</summary>
    private (string? Response, Agreed? Agreed) Negotiate(string? header)
    {
        if (header is null)
        {
            return (null, null);
        }

        foreach (string element in header.Split(','))
        {
            var parts = element.Split(';').Select(p => p.Trim()).ToArray();
            if (!parts[0].Equals("permessage-deflate", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Select(p => (Name: p[0].Trim().ToLowerInvariant(), Value: p.Length > 1 ? p[1].Trim().Trim('"') : null)).ToArray();
            bool valid = parameters.Select(p => p.Name).Distinct().Count() == parameters.Length && parameters.All(p => p.Name switch
            {
                "server_no_context_takeover" or "client_no_context_takeover" => p.Value is null,
                "server_max_window_bits" => p.Value is { } v && WindowBits(v),
                "client_max_window_bits" => p.Value is null || WindowBits(p.Value),
                _ => false,
            });
            if (!valid && Fault != DeflateFault.AcceptsInvalidOffers)
            {
                continue; // RFC 7692 §7: decline
            }

            int? window = parameters.Where(p => p.Name == "server_max_window_bits" && p.Value is not null && WindowBits(p.Value)).Select(p => (int?)int.Parse(p.Value!, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            bool noContext = parameters.Any(p => p.Name == "server_no_context_takeover");
            if (Fault == DeflateFault.OmitsServerMaxWindowBits)
            {
                window = null; // what the response says: nothing, so up to 2^15
            }

            bool sayNoContext = noContext && Fault != DeflateFault.OmitsServerNoContextTakeover;
            string response = "permessage-deflate; client_no_context_takeover" + (sayNoContext ? "; server_no_context_takeover" : "") + (window is { } w ? $"; server_max_window_bits={w}" : "");
            return (response, new Agreed(window, noContext));
        }

        return (null, null);
    }

    private static bool WindowBits(string value) => value.Length is 1 or 2 && value[0] != '0' && value.All(char.IsAsciiDigit) && int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) is >= 8 and <= 15;

    private async Task EchoAsync(ScriptedConnection connection, Agreed? agreed)
    {
        bool compressEchoes = agreed is not null && (agreed.ServerWindow is null or 15 || Fault == DeflateFault.WindowTooLarge);
        MemoryStream? contextOutput = null;
        DeflateStream? contextDeflater = null;
        var message = new MemoryStream();
        byte opcode = 0;
        bool compressed = false;
        bool open = false;
        try
        {
            while (await connection.ReadHeaderAsync() is { } header)
            {
                bool rsv1 = (header.Rsv & 0x4) != 0;
                bool rsvAllowed = header.Rsv == 0 || (agreed is not null && header.Rsv == 0x4 && header.Opcode is 1 or 2
                    || (Fault == DeflateFault.IgnoresRsv1OnControlFrames && agreed is not null && header.Rsv == 0x4 && header.IsControl));
                if (!header.Masked || !rsvAllowed || header.IsReservedOpcode || (header.IsControl && (!header.Fin || header.Length > 125)))
                {
                    await FailAsync(connection, 1002);
                    return;
                }

                byte[]? payload = await connection.ReadWholePayloadAsync(header);
                if (payload is null)
                {
                    return;
                }

                switch (header.Opcode)
                {
                    case 0x9:
                        await connection.WriteFrameAsync(0xA, payload);
                        continue;
                    case 0xA:
                        continue;
                    case 0x8:
                        await connection.WriteFrameAsync(0x8, payload.Length >= 2 ? payload.AsSpan(0, 2) : []);
                        await connection.CloseTcpAsync();
                        return;
                    case 0x0 when !open:
                    case 0x1 or 0x2 when open:
                        await FailAsync(connection, 1002);
                        return;
                    case 0x1 or 0x2:
                        open = true;
                        opcode = header.Opcode;
                        compressed = rsv1;
                        message.SetLength(0);
                        break;
                }

                message.Write(payload);
                if (!header.Fin)
                {
                    continue;
                }

                open = false;
                byte[] octets;
                try
                {
                    octets = compressed ? Inflate(message.ToArray()) : message.ToArray();
                }
                catch (InvalidDataException)
                {
                    await FailAsync(connection, 1007);
                    return;
                }

                if (opcode == 0x1 && !IsUtf8(octets))
                {
                    await FailAsync(connection, 1007);
                    return;
                }

                if (!compressEchoes)
                {
                    await connection.WriteFrameAsync(opcode, octets);
                    continue;
                }

                byte[] echo;
                if (Fault == DeflateFault.KeepsContext)
                {
                    contextOutput ??= new MemoryStream();
                    contextDeflater ??= new DeflateStream(contextOutput, CompressionLevel.Optimal, leaveOpen: true);
                    contextOutput.SetLength(0);
                    contextDeflater.Write(octets);
                    contextDeflater.Flush();
                    echo = contextOutput.Length >= 4 ? contextOutput.ToArray()[..^4] : [0x00];
                }
                else
                {
                    echo = Deflate(octets);
                }

                await connection.WriteFrameAsync(opcode, echo, rsv: 0x4);
            }
        }
        finally
        {
            contextDeflater?.Dispose();
        }
    }

    private static byte[] Inflate(byte[] payload)
    {
        using var inflate = new DeflateStream(new MemoryStream([.. payload, .. Trailer]), CompressionMode.Decompress);
        var output = new MemoryStream();
        inflate.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Deflate(byte[] octets)
    {
        if (octets.Length == 0)
        {
            return [0x00]; // RFC 7692 §7.2.3.6: DeflateStream writes nothing for nothing
        }

        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(octets);
            deflate.Flush();
            return output.ToArray()[..^4];
        }
    }

    private static bool IsUtf8(byte[] octets)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(octets);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static async Task FailAsync(ScriptedConnection connection, ushort code)
    {
        await connection.WriteFrameAsync(0x8, ScriptedConnection.ClosePayload(code));
        await connection.CloseTcpAsync(TimeSpan.FromSeconds(2));
    }
}
