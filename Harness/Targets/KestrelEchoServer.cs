using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Targets;

/// <summary>
/// The embedded default target: an echo server on ASP.NET Core Kestrel with the
/// System.Net.WebSockets implementation from the shared framework (code this project did not write).
/// </summary>
internal sealed class KestrelEchoServer : IAsyncDisposable
{
    public const string Agent = "Kestrel (System.Net.WebSockets)";

    /// <summary>The path whose connections accept permessage-deflate (<c>DangerousEnableCompression</c>); the default path never does.</summary>
    public const string DeflatePath = "/deflate";

    private readonly WebApplication _app;

    private KestrelEchoServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The same server with permessage-deflate accepted (RFC 7692), at <see cref="DeflatePath"/>.</summary>
    public Uri DeflateUrl => new(Url, DeflatePath);

    /// <param name="certificate">Serve wss:// (TLS) with this certificate and its key; null is plain ws://.</param>
    public static async Task<KestrelEchoServer> StartAsync(int port = 0, string host = "127.0.0.1", CancellationToken cancel = default, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"{(certificate is null ? "http" : "https")}://{host}:{port}");
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration(); // the slim builder leaves HTTPS out unless asked
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            if (certificate is not null)
            {
                k.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
        var app = builder.Build();
        // No keep-alive pings: an unsolicited ping would be an extra event in every case.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(HandleAsync);
        await app.StartAsync(cancel).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new UriBuilder(address) { Scheme = certificate is null ? "ws" : "wss" }.Uri;
        return new KestrelEchoServer(app, url);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            // RFC 6455 §4.2.2: a refusal for the version names the versions understood; RFC 9110 §15.5.22: a 426 names the protocol to upgrade to.
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            context.Response.Headers.SecWebSocketVersion = "13";
            await context.Response.WriteAsync("WebSocket echo server: connect with a WebSocket client.\n").ConfigureAwait(false);
            return;
        }

        // The path DeflatePath offers permessage-deflate (RFC 7692) as ASP.NET Core negotiates it; every other path, as before, does not.
        using var socket = context.Request.Path.StartsWithSegments(DeflatePath)
            ? await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = true }).ConfigureAwait(false)
            : await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await EchoAsync(socket, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Echoes every message back as it arrives, fragment by fragment, and answers the close.</summary>
    public static async Task EchoAsync(WebSocket socket, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancel).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(received.CloseStatus ?? WebSocketCloseStatus.Empty, received.CloseStatusDescription, cancel).ConfigureAwait(false);
                    return;
                }

                await socket.SendAsync(new ArraySegment<byte>(buffer, 0, received.Count), received.MessageType, received.EndOfMessage, cancel).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The library failed the connection (it has already sent its close frame) or the peer vanished.
            await Task.Delay(200, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
