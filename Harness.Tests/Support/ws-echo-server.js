// A ws (https://github.com/websockets/ws) echo server for the integration tests, set up like the
// testee Autobahn|Testsuite uses for ws: echo every message with the same type, no compression,
// close handling left to ws's defaults.
// Prints the port it listens on as the first line of stdout; stops when stdin closes.
'use strict';

const path = require('path');
const moduleDir = process.argv[2];
const { WebSocketServer } = require(moduleDir ? path.join(moduleDir, 'node_modules', 'ws') : 'ws');

const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    maxPayload: 100 * 1024 * 1024,
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

// The test process holds our stdin open; when it goes away (or closes stdin) we stop.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
