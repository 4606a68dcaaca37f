using System.Net.Sockets;

namespace Conformance.Tests.Support;

/// <summary>
/// A deliberately wrong WebSocket server (a <see cref="PeerServer"/> configuration): it completes the opening
/// handshake correctly, then at once sends an unmasked text frame "nope" that nobody asked for (in the same write
/// as the 101 response). Any echo case then FAILS (e.g. 1.1.1 expects only the echo of an empty message).
/// It answers a close frame with a close 1000 and closes the connection, so a case ends quickly.
/// Connections that close before sending a request (the CLI's reachability check) are ignored.
/// </summary>
internal sealed class UnsolicitedTextServer : IAsyncDisposable
{
    private readonly PeerServer _server = PeerServer.Start(AnswerCloseAsync, HandshakeWithNopeAsync);

    public Uri Url => _server.Url;

    /// <summary>Handshakes completed so far.</summary>
    public int Handshakes => _server.Handshakes;

    public static string AcceptFor(string key) => PeerRequest.AcceptFor(key);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static async Task<bool> HandshakeWithNopeAsync(ScriptedConnection c)
    {
        if (await c.ReadRequestAsync().ConfigureAwait(false) is not { Key: { } key })
        {
            return false; // reachability probe or garbage
        }

        await c.Write(Support.Handshakes.SwitchingProtocols(AcceptFor(key))).WriteFrame(TestFrames.Text, "nope"u8).FlushAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads the client's frames; on its close frame answers with a close 1000 and ends the connection.</summary>
    private static async Task AnswerCloseAsync(ScriptedConnection c)
    {
        if (await c.SkipUntilAsync(TestFrames.Close).ConfigureAwait(false) is not null)
        {
            await c.WriteClose(1000).FlushAsync().ConfigureAwait(false);
            c.Socket.Shutdown(SocketShutdown.Both);
        }
    }
}
