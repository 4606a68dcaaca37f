using System.Text;

namespace Conformance.Tests.Reports;

/// <summary>
/// A WebSocket "server" (a <see cref="PeerServer"/> configuration) whose every word is an attack on the report:
/// markup, attribute breakers, control characters and bidirectional overrides in its headers, messages and close
/// reason, and (on its second connection) a 1 MiB header value. Connection 3 sends a text message that is not
/// valid UTF-8. Loopback only; each connection ends by itself within a couple of seconds.
/// </summary>
internal sealed class HostileServer : IAsyncDisposable
{
    public const string Markup = "<script>alert(1)</script>";
    public const string CloseReason = "</td><script>x</script>\u0001\u0008\r\n\u202e";

    private readonly PeerServer _server = PeerServer.Start(AttackAsync, HostileHandshakeAsync);

    public Uri Url => _server.Url;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A 101 with hostile header fields; on connection 2 also a 1 MiB one, after which the connection ends.</summary>
    private static async Task<bool> HostileHandshakeAsync(ScriptedConnection c)
    {
        if (await c.ReadRequestAsync().ConfigureAwait(false) is not { Key: { } key })
        {
            return false;
        }

        bool huge = c.Number == 2;
        string[] fields =
        [
            "X-Evil: " + Markup,
            "X-Attr: \" onmouseover=\"alert(1)\" x='",
            "Server: </pre></td></tr></table><script>alert(4)</script>",
            "X-Controls: \u0001\u001b[2J\u007f\u202egnp.exe",
            .. huge ? new[] { "X-Huge: " + new string('A', 1 << 20) } : [],
        ];
        await c.Write(Support.Handshakes.SwitchingProtocols(PeerRequest.AcceptFor(key), fields)).FlushAsync().ConfigureAwait(false);
        return !huge;
    }

    private static async Task AttackAsync(ScriptedConnection c)
    {
        if (c.Number == 3)
        {
            c.WriteFrame(TestFrames.Text, [0xff, 0xfe, .. "<b onclick=x>"u8, 0xc3]);
        }
        else
        {
            c.WriteFrame(TestFrames.Text, Encoding.UTF8.GetBytes(Markup + "\u0000\u0007\"'`=<img src=x onerror=alert(2)>"))
                .WriteFrame(TestFrames.Binary, "<svg onload=alert(3)>"u8);
        }

        await c.WriteClose(1000, Encoding.UTF8.GetBytes(CloseReason)).FlushAsync().ConfigureAwait(false);
        await c.DrainAsync(TimeSpan.FromSeconds(1.5)).ConfigureAwait(false);
    }
}
