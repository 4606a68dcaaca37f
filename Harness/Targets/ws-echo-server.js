// An echo server on the npm package 'ws' (a reference implementation this project did not write),
// configured like Autobahn's testees: every message is sent back with its type; ws's own defaults
// handle pings and closing. Prints the port it listens on as its first line of output.
'use strict';
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 0);
const deflate = process.argv.includes('--deflate');
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: deflate, maxPayload: 256 * 1024 * 1024 });

wss.on('listening', () => console.log(wss.address().port));
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
