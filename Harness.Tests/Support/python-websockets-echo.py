# An echo server on Debian's python3-websockets (https://github.com/python-websockets/websockets), a
# reference implementation this project did not write, set up like websockets' own Autobahn testee
# (compliance/test_server.py): echo every message, no compression, no keep-alive pings, no size limit.
# With --deflate, permessage-deflate as websockets negotiates it by default (RFC 7692).
# Prints the port it listens on as its first line; stops when its stdin closes.
import asyncio, sys
import websockets

async def echo(ws, path=None):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass

async def main():
    async with websockets.serve(echo, "127.0.0.1", 0, max_size=None, compression="deflate" if "--deflate" in sys.argv[1:] else None, ping_interval=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

asyncio.run(main())
