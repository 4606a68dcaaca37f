// A client driver for the npm package 'ws' (https://github.com/websockets/ws), a client this project
// did not write, in the style of the drivers written for Autobahn|Testsuite's fuzzingserver: it asks
// /getCaseCount, runs /runCase?case=N&agent=AGENT for N = 1..count as an echo client (every message is
// sent back with its type; ws itself answers pings, completes closing handshakes and fails the
// connection on protocol errors), then calls /updateReports?agent=AGENT.
// Usage: node ws-client-driver.js ws://127.0.0.1:9001 AGENT [MODULE_DIR]
// MODULE_DIR is a folder holding node_modules/ws (default: resolve 'ws' as usual).
// Over wss:// (test-client --tls) node is told to trust the harness's certificate with
// NODE_EXTRA_CA_CERTS="$WSCONF_CA"; no code here changes.
'use strict';

const path = require('path');

const [base, agent = 'ws', moduleDir] = process.argv.slice(2);
if (!base || !/^wss?:\/\//.test(base)) {
    process.stderr.write('usage: node ws-client-driver.js ws://HOST:PORT AGENT [MODULE_DIR]\n');
    process.exit(2);
}

const WebSocket = require(moduleDir ? path.resolve(moduleDir, 'node_modules', 'ws') : 'ws');
const server = base.replace(/\/+$/, '');
const agentQuery = encodeURIComponent(agent);

function getCaseCount(done) {
    let count = NaN;
    const ws = new WebSocket(`${server}/getCaseCount`);
    ws.on('message', (data) => {
        count = parseInt(data.toString(), 10);
    });
    ws.on('error', (err) => process.stderr.write(`getCaseCount: ${err.message}\n`));
    ws.on('close', () => done(count));
}

function runCase(n, count) {
    if (n > count) {
        updateReports();
        return;
    }

    process.stdout.write(`running case ${n} of ${count}\n`);
    const ws = new WebSocket(`${server}/runCase?case=${n}&agent=${agentQuery}`);
    ws.on('message', (data, isBinary) => {
        ws.send(data, { binary: isBinary });
    });
    // ws reports a protocol violation of the server (after failing the connection itself) as an error;
    // the close event follows either way.
    ws.on('error', (err) => process.stdout.write(`case ${n}: ${err.message}\n`));
    ws.on('close', () => runCase(n + 1, count));
}

function updateReports() {
    const ws = new WebSocket(`${server}/updateReports?agent=${agentQuery}`);
    ws.on('error', (err) => process.stderr.write(`updateReports: ${err.message}\n`));
    ws.on('close', () => process.exit(0));
}

getCaseCount((count) => {
    if (!(count > 0)) {
        process.stderr.write(`getCaseCount did not answer a case count (got ${count})\n`);
        process.exit(1);
    }
    runCase(1, count);
});
