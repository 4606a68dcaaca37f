using System.Globalization;
using System.Text;
using Conformance.Cases.Scripting;

namespace Conformance.Harness.Fuzzing;

/// <summary>
/// A stand-alone reproduction of a client finding (fuzz --client) for the client's maintainer: Python 3, standard
/// library only. It is the server side: it listens, accepts one connection on any path, answers the opening
/// handshake (RFC 6455 §4.2.2), sends the same octets in the same writes (a server's frames, unmasked unless the
/// case masks one on purpose) and prints every frame the client sends back.
/// </summary>
internal static class PythonServerRepro
{
    public const int DefaultPort = 9001;

    public static string Render(string title, IReadOnlyList<Step> actions, string expectation, string seen)
    {
        var text = new StringBuilder();
        text.Append("#!/usr/bin/env python3\n");
        text.Append("\"\"\"").Append(PythonRepro.Docstring(title)).Append("\n\nExpected (RFC 6455): ").Append(PythonRepro.Docstring(expectation))
            .Append("\nSeen by wsconf: ").Append(PythonRepro.Docstring(seen))
            .Append("\n\nUsage: python3 THIS_FILE [PORT], then connect the client (as an echo client) to ws://127.0.0.1:PORT/\n")
            .Append("(plain ws:// only; any path is accepted, so an Autobahn client driver's /runCase URL works too).\n\"\"\"\n");
        text.Append("import base64, hashlib, socket, struct, sys, time\n\n");
        text.Append("PORT = ").Append(DefaultPort.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("# (pause before the write in seconds, octets): the server's frames as wsconf wrote them\nWRITES = [\n");
        foreach (var write in WireWrites.Of(actions, testerIsServer: true))
        {
            text.Append("    (").Append((write.PauseBeforeMs / 1000).ToString("0.###", CultureInfo.InvariantCulture))
                .Append(", bytes.fromhex(\"").Append(Convert.ToHexStringLower(write.Octets)).Append("\")),\n");
        }

        text.Append("]\n");
        text.Append(PythonRepro.FrameReader).Append(Body);
        return text.ToString();
    }

    private const string Body = """


        def main():
            port = int(sys.argv[1]) if len(sys.argv) > 1 else PORT
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", port))
            listener.listen(1)
            print("listening on ws://127.0.0.1:%d/ : connect the client now" % port)
            while True:
                sock, peer = listener.accept()
                sock.settimeout(5)
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = sock.recv(1)
                    if not chunk:
                        break
                    head += chunk
                lines = head.decode("latin-1").split("\r\n")
                fields = dict((l.split(":", 1)[0].strip().lower(), l.split(":", 1)[1].strip()) for l in lines[1:] if ":" in l)
                if "sec-websocket-key" not in fields:
                    print("ignored a request that is not a WebSocket upgrade:", lines[0])
                    sock.close()
                    continue
                break
            print("handshake:", lines[0])
            accept = base64.b64encode(hashlib.sha1((fields["sec-websocket-key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
            sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
            send_writes(sock)
            sock.settimeout(3)
            try:
                for b0, payload in frames(sock):
                    print(describe(b0, payload))
            except socket.timeout:
                print("(nothing more within 3 s)")
            except OSError as e:
                print("(connection error: %s)" % e)
            print("connection closed")
            sock.close()


        if __name__ == "__main__":
            main()

        """;
}
