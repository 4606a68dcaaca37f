// An echo server on the npm package 'ws' (https://github.com/websockets/ws), a reference
// implementation this project did not write, set up like the testee Autobahn|Testsuite uses for
// ws: every message is echoed with its type, ws's own defaults handle pings and closing.
// Usage: node ws-echo-server.js [MODULE_DIR] [--deflate]
// Prints the port it listens on as its first line; stops when its stdin closes.
'use strict';

const path = require('path');
const args = process.argv.slice(2);
const moduleDir = args.find((a) => !a.startsWith('--'));
const { WebSocketServer } = require(moduleDir ? path.resolve(moduleDir, 'node_modules', 'ws') : 'ws');

const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: args.includes('--deflate'),
    maxPayload: 256 * 1024 * 1024,
});

wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
        ws.send(data, { binary: isBinary });
    });
    // On a protocol violation ws fails the connection itself (close 1002/1007/1009) and then emits
    // 'error'; the listener only keeps Node from treating that as an unhandled error and exiting.
    ws.on('error', () => {});
});

wss.on('listening', () => {
    process.stdout.write(`${wss.address().port}\n`);
});

wss.on('error', (err) => {
    process.stderr.write(`ws echo server: ${err.message}\n`);
    process.exit(1);
});

// Whoever started us holds our stdin open; when it goes away (or closes stdin) we stop.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
