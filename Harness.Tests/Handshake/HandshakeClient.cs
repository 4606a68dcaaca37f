using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.Tests.Handshake;

/// <summary>The one rule of the client's opening handshake (RFC 6455 §4.1) a <see cref="HandshakeClient"/> breaks.</summary>
public enum ClientViolation
{
    None,
    IgnoresAccept,
    IgnoresStatus,
    AcceptsHttp10,
    IgnoresUpgradeField,
    IgnoresConnectionField,
    IgnoresSubprotocol,
    IgnoresExtensions,
    ExactConnectionValue,
    CaseSensitiveNames,
    NoAcceptTrim,
    ReadsHeadOnce,
    DropsOctetsAfterHead,

    /// <summary>Masks every frame with the same key (RFC 6455 §5.3: a fresh key per frame).</summary>
    RepeatsMaskKey,

    /// <summary>Masks every frame with 00 00 00 00.</summary>
    ZeroMaskKey,
}

/// <summary>
/// An echo client for tests with its own strict check of the server's response (no harness code): it offers no
/// subprotocol and no extension, fails the connection (closes TCP) on any response RFC 6455 §4.1 says to
/// refuse, and otherwise echoes every message and answers the close. One <see cref="ClientViolation"/> skips or
/// bends exactly one check.
/// </summary>
internal static class HandshakeClient
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task RunAsync(Uri url, ClientViolation violation, CancellationToken cancel)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(url.Host, url.Port, cancel);
        var stream = tcp.GetStream();
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"), cancel);

        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int end;
        while ((end = IndexOfBlankLine(buffer)) < 0)
        {
            int read = await stream.ReadAsync(chunk, cancel);
            if (read == 0 || (violation == ClientViolation.ReadsHeadOnce && IndexOfBlankLine([.. buffer, .. chunk.AsSpan(0, read).ToArray()]) < 0))
            {
                return; // fails the connection: closes TCP
            }

            buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        }

        string head = Encoding.Latin1.GetString(buffer.GetRange(0, end).ToArray());
        buffer.RemoveRange(0, end + 4);
        if (!Valid(head, key, violation))
        {
            return;
        }

        if (violation == ClientViolation.DropsOctetsAfterHead)
        {
            buffer.Clear();
        }

        await EchoAsync(stream, buffer, chunk, violation, cancel);
    }

    private static bool Valid(string head, string key, ClientViolation violation)
    {
        var lines = head.Split("\r\n");
        var comparison = violation == ClientViolation.CaseSensitiveNames ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var fields = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToArray();
        string[] Raw(string name) => fields.Where(f => f[0].Equals(name, comparison)).Select(f => f[1]).ToArray();
        string[] Tokens(string name) => Raw(name).SelectMany(v => v.Split(',')).Select(t => t.Trim()).ToArray();

        string[] status = lines[0].Split(' ');
        bool versionOk = status[0] == "HTTP/1.1" || (violation == ClientViolation.AcceptsHttp10 && status[0] == "HTTP/1.0");
        bool statusOk = status.Length >= 2 && (status[1] == "101" || violation == ClientViolation.IgnoresStatus);
        bool upgradeOk = violation == ClientViolation.IgnoresUpgradeField || Tokens("Upgrade").Contains("websocket", StringComparer.OrdinalIgnoreCase);
        bool connectionOk = violation switch
        {
            ClientViolation.IgnoresConnectionField => true,
            ClientViolation.ExactConnectionValue => Raw("Connection").Select(v => v.Trim()).SequenceEqual(["Upgrade"]),
            _ => Tokens("Connection").Contains("Upgrade", StringComparer.OrdinalIgnoreCase),
        };
        string expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        string[] accept = violation == ClientViolation.NoAcceptTrim ? Raw("Sec-WebSocket-Accept").Select(v => v.StartsWith(' ') ? v[1..] : v).ToArray() : Raw("Sec-WebSocket-Accept").Select(v => v.Trim()).ToArray();
        bool acceptOk = violation == ClientViolation.IgnoresAccept || accept.SequenceEqual([expected]);
        bool protocolOk = violation == ClientViolation.IgnoresSubprotocol || Raw("Sec-WebSocket-Protocol").Length == 0;
        bool extensionsOk = violation == ClientViolation.IgnoresExtensions || Raw("Sec-WebSocket-Extensions").Length == 0;
        return versionOk && statusOk && upgradeOk && connectionOk && acceptOk && protocolOk && extensionsOk;
    }

    /// <summary>Echoes data frames (masked), answers the close, and returns when the server ends the connection.</summary>
    private static async Task EchoAsync(NetworkStream stream, List<byte> buffer, byte[] chunk, ClientViolation violation, CancellationToken cancel)
    {
        while (true)
        {
            while (TryFrame(buffer, out byte opcode, out byte[] payload))
            {
                if (opcode is 1 or 2 or 8)
                {
                    byte[] key = violation switch
                    {
                        ClientViolation.RepeatsMaskKey => [0x12, 0x34, 0x56, 0x78],
                        ClientViolation.ZeroMaskKey => [0, 0, 0, 0],
                        _ => RandomNumberGenerator.GetBytes(4),
                    };
                    await stream.WriteAsync(Masked(opcode, payload, key), cancel);
                }
            }

            int read = await stream.ReadAsync(chunk, cancel);
            if (read == 0)
            {
                return;
            }

            buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        }
    }

    private static bool TryFrame(List<byte> buffer, out byte opcode, out byte[] payload)
    {
        (opcode, payload) = (0, []);
        if (buffer.Count < 2)
        {
            return false;
        }

        int length = buffer[1] & 0x7F;
        int header = 2;
        if (length == 126)
        {
            if (buffer.Count < 4)
            {
                return false;
            }

            (length, header) = ((buffer[2] << 8) | buffer[3], 4);
        }

        if (buffer.Count < header + length)
        {
            return false;
        }

        opcode = (byte)(buffer[0] & 0x0F);
        payload = buffer.GetRange(header, length).ToArray();
        buffer.RemoveRange(0, header + length);
        return true;
    }

    private static byte[] Masked(byte opcode, byte[] payload, byte[] key)
    {
        var frame = new List<byte> { (byte)(0x80 | opcode) };
        if (payload.Length < 126)
        {
            frame.Add((byte)(0x80 | payload.Length));
        }
        else
        {
            frame.AddRange([0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length]);
        }

        frame.AddRange(key);
        frame.AddRange(payload.Select((b, i) => (byte)(b ^ key[i % 4])));
        return [.. frame];
    }

    private static int IndexOfBlankLine(List<byte> buffer)
    {
        for (int i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
