using System.Security.Cryptography;
using Conformance.Harness.Running;

namespace Conformance.Tests.Broken;

/// <summary>How the scripted server answers the opening handshake (RFC 6455 §4.2.2).</summary>
public enum HandshakeFault
{
    /// <summary>A correct 101 response.</summary>
    None,

    /// <summary>Accepts TCP, reads the request, never answers.</summary>
    NeverAnswers,

    /// <summary>Answers 404 Not Found and closes.</summary>
    NotFound,

    /// <summary>Answers random octets ending in an empty line (a "head" that is not HTTP), then closes.</summary>
    Garbage,

    /// <summary>Answers random octets without any line structure, then closes.</summary>
    GarbageThenClose,

    /// <summary>Answers 101 with a Sec-WebSocket-Accept computed from another key.</summary>
    WrongAccept,

    /// <summary>Answers a 101 status line, then a header line of a megabyte that never ends; keeps the connection open.</summary>
    EndlessHeaderLine,
}

/// <summary>A close code the echo endpoint gets wrong.</summary>
internal enum WrongCloseCode
{
    None,

    /// <summary>Fails the connection with 1000 instead of 1002/1007 (a protocol error is not a normal closure).</summary>
    NormalOnProtocolError,

    /// <summary>Answers a valid close with 1002 instead of echoing the code (RFC 6455 §5.5.1).</summary>
    ProtocolErrorOnValidClose,
}

/// <summary>
/// What the scripted server does. All defaults give a correct echo endpoint; each option injects
/// exactly one violation, so a test can tell which rule a verdict comes from.
/// </summary>
internal sealed record ScriptedServerOptions
{
    public HandshakeFault Handshake { get; init; }

    /// <summary>Replaces the echo endpoint after a successful handshake (for wire-level misbehaviour).</summary>
    public Func<ScriptedConnection, Task>? AfterHandshake { get; init; }

    /// <summary>Flips the lowest bit of the last octet of every non-empty echo (keeps UTF-8 valid).</summary>
    public bool EchoCorruptsPayload { get; init; }

    /// <summary>Ignores pings (RFC 6455 §5.5.2 requires a pong).</summary>
    public bool NeverPongs { get; init; }

    /// <summary>Answers pings with a pong whose payload differs from the ping's.</summary>
    public bool PongWrongPayload { get; init; }

    /// <summary>Treats frames with RSV bits set as if the bits were clear (§5.2 requires failing).</summary>
    public bool AcceptsRsvBits { get; init; }

    /// <summary>Skips frames with reserved opcodes instead of failing (§5.2).</summary>
    public bool AcceptsReservedOpcodes { get; init; }

    /// <summary>Ignores continuation frames with nothing to continue; a new data frame in an open message restarts it (§5.4).</summary>
    public bool IgnoresFragmentationErrors { get; init; }

    /// <summary>Never checks that text messages are UTF-8 (§8.1).</summary>
    public bool AcceptsInvalidUtf8 { get; init; }

    /// <summary>
    /// Loses the half of a code point split across fragments when a control frame arrives between them, so it
    /// fails a valid text message with 1007. No catalogue case has a ping between fragments that split a code point.
    /// </summary>
    public bool ForgetsSplitCodePointOnControlFrame { get; init; }

    public WrongCloseCode ClosesWithWrongCode { get; init; }

    /// <summary>Never answers a close frame; keeps reading until the peer drops TCP (§5.5.1).</summary>
    public bool NeverAnswersClose { get; init; }

    /// <summary>Echoes a fragmented message as if its first frame were all of it (the rest is read and lost).</summary>
    public bool EchoesFirstFragmentOnly { get; init; }

    /// <summary>Echoes only the first <see cref="TruncateAt"/> octets of a message.</summary>
    public bool TruncatesLargeMessages { get; init; }

    public int TruncateAt { get; init; } = 64 * 1024;

    /// <summary>Accepts unmasked client frames (§5.1 requires failing).</summary>
    public bool AcceptsUnmaskedFrames { get; init; }

    /// <summary>Wherever it should send a close frame, it drops TCP instead.</summary>
    public bool DropsTcpWithoutClose { get; init; }

    /// <summary>Sends a text message right after the handshake, before anything was asked.</summary>
    public bool SendsUnsolicitedMessageAtStart { get; init; }

    /// <summary>Masks its own frames (§5.1: a server MUST NOT mask).</summary>
    public bool MasksItsFrames { get; init; }
}

/// <summary>
/// The scripted WebSocket server: a <see cref="PeerServer"/> whose handshake hook answers correctly (or breaks
/// as <see cref="ScriptedServerOptions.Handshake"/> asks) and whose script is by default a correct echo
/// endpoint (<see cref="EchoEndpoint"/>). It shares no code with the harness.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly PeerServer _server;

    private ScriptedServer(ScriptedServerOptions options)
    {
        Options = options;
        _server = PeerServer.Start(options.AfterHandshake ?? (c => new EchoEndpoint(c, options).RunAsync()), HandshakeAsync);
    }

    public ScriptedServerOptions Options { get; }

    public Uri Url => _server.Url;

    /// <summary>TCP connections accepted so far.</summary>
    public int Accepted => _server.Accepted;

    /// <summary>Opening handshakes completed with a 101 so far.</summary>
    public int Handshakes => _server.Handshakes;

    /// <summary>Exceptions a connection script threw that are not plain I/O ends: a bug in the server itself.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<Exception> Errors => _server.Errors;

    public static ScriptedServer Start(ScriptedServerOptions? options = null) => new(options ?? new ScriptedServerOptions());

    public ServerTarget Target(string agent = "scripted") => _server.Target(agent);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    public static string AcceptFor(string key) => PeerRequest.AcceptFor(key);

    /// <summary>RFC 6455 §4.2: reads the request head, answers it (or misbehaves as asked). True when the connection is open.</summary>
    private async Task<bool> HandshakeAsync(ScriptedConnection connection)
    {
        if (await connection.ReadRequestAsync().ConfigureAwait(false) is not { } request)
        {
            return false;
        }

        switch (Options.Handshake)
        {
            case HandshakeFault.NeverAnswers:
                await connection.WaitForPeerToCloseAsync().ConfigureAwait(false);
                return false;
            case HandshakeFault.NotFound:
                await connection.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nNot Found\n"u8.ToArray()).ConfigureAwait(false);
                await connection.CloseTcpAsync().ConfigureAwait(false);
                return false;
            case HandshakeFault.Garbage:
                await connection.WriteAsync((byte[])[.. Garbage(512), .. "\r\n\r\n"u8]).ConfigureAwait(false);
                await connection.CloseTcpAsync().ConfigureAwait(false);
                return false;
            case HandshakeFault.GarbageThenClose:
                await connection.WriteAsync(Garbage(512)).ConfigureAwait(false);
                await connection.CloseTcpAsync().ConfigureAwait(false);
                return false;
            case HandshakeFault.EndlessHeaderLine:
                await connection.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Endless: "u8.ToArray()).ConfigureAwait(false);
                var filler = Enumerable.Repeat((byte)'a', 64 * 1024).ToArray();
                for (int i = 0; i < 16; i++)
                {
                    await connection.WriteAsync(filler).ConfigureAwait(false);
                }

                await connection.StallAsync().ConfigureAwait(false);
                return false;
        }

        if (request.Key is not { } key)
        {
            await connection.Write(Support.Handshakes.BadRequest).FlushAsync().ConfigureAwait(false);
            await connection.CloseTcpAsync().ConfigureAwait(false);
            return false;
        }

        string accept = AcceptFor(Options.Handshake == HandshakeFault.WrongAccept ? "dGhlIHNhbXBsZSBub25jZQ==" + "x" : key);
        await connection.Write(Support.Handshakes.SwitchingProtocols(accept, "Server: ScriptedServer")).FlushAsync().ConfigureAwait(false);
        if (Options.Handshake == HandshakeFault.WrongAccept)
        {
            await connection.CloseTcpAsync().ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>Random octets with no CR or LF in them.</summary>
    private static byte[] Garbage(int length)
    {
        var octets = RandomNumberGenerator.GetBytes(length);
        for (int i = 0; i < octets.Length; i++)
        {
            if (octets[i] is (byte)'\r' or (byte)'\n')
            {
                octets[i] = 0xFF;
            }
        }

        return octets;
    }
}
