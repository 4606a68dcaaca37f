using System.Diagnostics;
using System.Text;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Harness.Transport;
using Conformance.Harness.Wire;
using Conformance.Reports.Model;

namespace Conformance.Harness.Handshake;

/// <summary>
/// Testing a client with a category-15 case: answers the client's <c>/runCase</c> request with the case's
/// own response (whole or one octet per write, a first frame in the same write), then either plays the
/// rest of the script over the connection (a response the client must accept) or sends the script's
/// message and watches, bounded by the case timer, whether the client goes on (echoes it) or fails the
/// connection (a response it must refuse).
/// </summary>
internal static class ScriptedResponse
{
    public static bool Applies(Case @case) => @case.Handshake is not null && @case.Script is [ServeHandshakeResponse, ..];

    public static async Task<Observations> PlayAsync(Case @case, string requestHead, byte[] leftover, TcpConnection connection, CaseRunner runner, Timers timers, WireRecorder log, Stopwatch clock, DateTimeOffset started, CancellationToken cancel)
    {
        var step = (ServeHandshakeResponse)@case.Script[0];
        var request = HttpHead.Parse(requestHead);
        string key = request.Get("Sec-WebSocket-Key")?.Trim() ?? "";
        var values = new Dictionary<string, string>
        {
            [HandshakeTokens.Key] = key,
            [HandshakeTokens.Accept] = ClientHandshake.AcceptFor(key),
            [HandshakeTokens.WrongAccept] = ClientHandshake.AcceptFor(ClientHandshake.NewKey()),
            [HandshakeTokens.UnofferedDeflate] = UnofferedDeflate.For(request.Get("Sec-WebSocket-Extensions")),
        };
        string response = step.Response.Render(values, []);
        byte[] octets = Encoding.Latin1.GetBytes(response);
        byte[] frame = step.FirstFrame is { } first ? ServerOctets(first) : [];
        string shownRequest = HeadText.Printable(requestHead);
        string shownResponse = HeadText.Printable(octets);
        string? writeError = await WriteAsync(connection, step.Writing, octets, frame, cancel).ConfigureAwait(false);
        log.Note(WireDirection.Local, $"answered with the case's response ({octets.Length} octets, {step.Writing}{(frame.Length > 0 ? $", with a first frame of {frame.Length} octets in the same write" : "")})");

        if (@case.Handshake is HandshakeRule.Established)
        {
            var rest = @case with { Script = @case.Script.Skip(1).ToArray() };
            var opened = new OpenedCase(rest, TesterIsServer: true, connection, leftover, shownRequest, shownResponse, started) { Handshake = new HandshakeObservations() };
            return await runner.PlayAsync(opened, log, clock, cancel).ConfigureAwait(false);
        }

        ClientReaction reaction;
        if (writeError is not null)
        {
            reaction = new ClientReaction(false, true, $"the connection ended while the response was written ({writeError})");
        }
        else
        {
            byte[] message = @case.Script.OfType<SendFrame>().FirstOrDefault() is { } send ? ServerOctets(send.Frame) : [];
            var bound = timers.Scaled(@case.Script.OfType<ArmKill>().FirstOrDefault()?.After ?? TimeSpan.FromSeconds(2));
            reaction = await ClientWatch.WatchAsync(connection, leftover, message, bound, clock, cancel).ConfigureAwait(false);
        }

        log.Note(WireDirection.Local, $"the client's reaction: {reaction.Words}");
        await connection.DisposeAsync().ConfigureAwait(false);
        return Observations.WithoutConnection(testerIsServer: true, started, clock.Elapsed, reaction.WentOn ? null : reaction.Words, "no WebSocket connection was meant to be opened") with
        {
            HttpRequest = shownRequest,
            HttpResponse = shownResponse,
            WireLog = log.Snapshot(),
            Handshake = new HandshakeObservations { Client = reaction },
        };
    }

    private static async Task<string?> WriteAsync(TcpConnection connection, Writing writing, byte[] response, byte[] frame, CancellationToken cancel)
    {
        try
        {
            if (writing.Mode == WriteMode.Chopped)
            {
                for (int i = 0; i < response.Length; i += writing.ChopSize)
                {
                    await connection.Stream.WriteAsync(response.AsMemory(i, Math.Min(writing.ChopSize, response.Length - i)), cancel).ConfigureAwait(false);
                }

                if (frame.Length > 0)
                {
                    await connection.Stream.WriteAsync(frame, cancel).ConfigureAwait(false);
                }
            }
            else
            {
                await connection.Stream.WriteAsync((byte[])[.. response, .. frame], cancel).ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return Roles.ClientOpening.Describe(e);
        }
    }

    /// <summary>A frame as the server sends it: unmasked (RFC 6455 §5.1).</summary>
    internal static byte[] ServerOctets(Frame frame)
    {
        var prepared = PreparedFrame.For(frame, testerIsServer: true, new MaskKeySource());
        var octets = new byte[prepared.TotalLength];
        prepared.CopyTo(0, octets);
        return octets;
    }
}
