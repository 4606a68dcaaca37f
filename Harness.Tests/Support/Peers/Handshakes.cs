namespace Conformance.Tests.Support;

/// <summary>
/// Handshake hooks for a <see cref="PeerServer"/> and the pieces to write others: a hook reads the request,
/// answers it (or misbehaves), and returns true when the connection is open for the script.
/// </summary>
internal static class Handshakes
{
    /// <summary>A correct RFC 6455 §4.2.2 answer: 101 with the accept value; a request without a key gets 400 and a close.</summary>
    public static Task<bool> Accept(ScriptedConnection connection) => AcceptWith(connection);

    /// <summary>As <see cref="Accept"/>, with extra header fields ("Name: value") in the 101 response.</summary>
    public static async Task<bool> AcceptWith(ScriptedConnection connection, params string[] fields)
    {
        if (await connection.ReadRequestAsync().ConfigureAwait(false) is not { } request)
        {
            return false;
        }

        if (request.Key is not { } key)
        {
            await connection.Write(BadRequest).FlushAsync().ConfigureAwait(false);
            await connection.CloseTcpAsync().ConfigureAwait(false);
            return false;
        }

        await connection.Write(SwitchingProtocols(PeerRequest.AcceptFor(key), fields)).FlushAsync().ConfigureAwait(false);
        return true;
    }

    public const string BadRequest = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    /// <summary>A 101 response head with <paramref name="accept"/> as Sec-WebSocket-Accept and extra fields ("Name: value").</summary>
    public static string SwitchingProtocols(string accept, params string[] fields) =>
        "HTTP/1.1 101 Switching Protocols\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        $"Sec-WebSocket-Accept: {accept}\r\n" +
        string.Concat(fields.Select(f => f + "\r\n")) +
        "\r\n";
}
