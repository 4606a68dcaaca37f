using System.Globalization;
using System.Text;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// A stand-alone reproduction of a finding for a server's maintainer: Python 3, standard library only.
/// It opens the connection, sends the same octets in the same writes and prints every frame that comes back.
/// </summary>
internal static class PythonRepro
{
    /// <param name="deflate">The case's permessage-deflate offers: the reproduction offers them too, and its compressed messages are made as the
    /// tester makes them when the server accepts the offer as it stands (the tester's window and context follow the server's answer).</param>
    public static string Render(string title, Uri url, IReadOnlyList<Step> actions, string expectation, string seen, DeflateSetup? deflate = null)
    {
        var text = new StringBuilder();
        text.Append("#!/usr/bin/env python3\n");
        text.Append("\"\"\"").Append(Docstring(title)).Append("\n\nExpected (RFC 6455): ").Append(Docstring(expectation))
            .Append("\nSeen by wsconf: ").Append(Docstring(seen))
            .Append("\n\nUsage: python3 THIS_FILE [ws://host:port/path]   (plain ws:// only)\n\"\"\"\n");
        text.Append("import base64, os, socket, struct, sys, time, zlib\n\n");
        text.Append("URL = ").Append(PyString(url.ToString())).Append('\n');
        text.Append("EXTENSIONS = ").Append(deflate?.OfferHeader is { } offers ? PyString(offers) : "None").Append('\n');
        text.Append("# (pause before the write in seconds, octets): the client's frames, already masked\nWRITES = [\n");
        var agreement = deflate is null ? null : new DeflateAgreement(new(PerMessageDeflate.MaxWindowBits, false), new(PerMessageDeflate.MaxWindowBits, false), "").WithClientHints(deflate.Offers);
        foreach (var write in WireWrites.Of(actions, testerIsServer: false, agreement?.ClientToServer))
        {
            text.Append("    (").Append((write.PauseBeforeMs / 1000).ToString("0.###", CultureInfo.InvariantCulture))
                .Append(", bytes.fromhex(\"").Append(Convert.ToHexStringLower(write.Octets)).Append("\")),\n");
        }

        text.Append("]\n");
        text.Append(FrameReader).Append(Body);
        return text.ToString();
    }

    internal static string Docstring(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"\"\"", "\\\"\\\"\\\"", StringComparison.Ordinal);

    private static string PyString(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Python that reads frames (masked or not), shows them, and makes the script's writes: shared by both reproductions.</summary>
    internal const string FrameReader = """

        NAMES = {0: "CONT", 1: "TEXT", 2: "BINARY", 8: "CLOSE", 9: "PING", 10: "PONG"}


        def show(payload):
            try:
                return repr(payload.decode("utf-8"))
            except UnicodeDecodeError:
                return "0x" + payload.hex()


        def frames(sock):
            data = b""
            while True:
                while True:
                    if len(data) >= 2:
                        b0, b1 = data[0], data[1]
                        length, at = b1 & 0x7F, 2
                        if length == 126 and len(data) >= 4:
                            length, at = struct.unpack(">H", data[2:4])[0], 4
                        elif length == 127 and len(data) >= 10:
                            length, at = struct.unpack(">Q", data[2:10])[0], 10
                        elif length >= 126:
                            length = None
                        if length is not None:
                            key = data[at:at + 4] if b1 & 0x80 else None
                            at += 4 if key else 0
                            if len(data) >= at + length:
                                payload = data[at:at + length]
                                if key:
                                    payload = bytes(c ^ key[i % 4] for i, c in enumerate(payload))
                                data = data[at + length:]
                                yield b0, payload
                                continue
                    break
                chunk = sock.recv(65536)
                if not chunk:
                    return
                data += chunk


        def send_writes(sock):
            for pause, octets in WRITES:
                time.sleep(pause)
                try:
                    sock.sendall(octets)
                    print("-> %d octet(s)" % len(octets))
                except OSError as e:
                    print("-> write failed: %s" % e)
                    return


        def describe(b0, payload):
            opcode = b0 & 0x0F
            line = "<- %s fin=%d rsv=%d len=%d" % (NAMES.get(opcode, "OP%d" % opcode), b0 >> 7, (b0 >> 4) & 7, len(payload))
            if opcode == 8 and len(payload) >= 2:
                line += " code=%d reason=%s" % (struct.unpack(">H", payload[:2])[0], show(payload[2:]))
            elif payload:
                line += " payload=" + show(payload[:64])
            return line

        """;

    private const string Body = """


        def main():
            url = sys.argv[1] if len(sys.argv) > 1 else URL
            rest = url.split("://", 1)[1]
            hostport, _, path = rest.partition("/")
            host, _, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "80")
            sock = socket.create_connection((host.strip("[]"), int(port)), timeout=5)
            key = base64.b64encode(os.urandom(16)).decode()
            extensions = "Sec-WebSocket-Extensions: %s\r\n" % EXTENSIONS if EXTENSIONS else ""
            sock.sendall(("GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s\r\n" % (path, hostport, key, extensions)).encode())
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = sock.recv(1)
                if not chunk:
                    print("the server closed the connection during the handshake")
                    return
                head += chunk
            print("handshake:", head.split(b"\r\n")[0].decode(errors="replace"))
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"sec-websocket-extensions:"):
                    print("extensions:", line.decode(errors="replace"))
            send_writes(sock)
            sock.settimeout(3)
            inflater, compressed = zlib.decompressobj(-15), None
            try:
                for b0, payload in frames(sock):
                    opcode = b0 & 0x0F
                    print(describe(b0, payload))
                    if opcode in (1, 2) and b0 & 0x40:
                        compressed = b""
                    if compressed is not None and opcode in (0, 1, 2):
                        compressed += payload
                        if b0 & 0x80:
                            try:
                                print("   (compressed message, inflated: %s)" % show(inflater.decompress(compressed + b"\x00\x00\xff\xff")[:64]))
                            except zlib.error as e:
                                print("   (compressed message that does not inflate: %s)" % e)
                            compressed = None
            except socket.timeout:
                print("(nothing more within 3 s)")
            except OSError as e:
                print("(connection error: %s)" % e)
            print("connection closed")


        if __name__ == "__main__":
            main()

        """;
}
