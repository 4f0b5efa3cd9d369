// Members edit a session's code through the REAL sharedb client, one op after another.
//
// Input (CONFIG environment variable, JSON):
//   {"url": "ws://127.0.0.1:P/ws/ot/", "origin": "http://127.0.0.1:P", "doc": "<session id>",
//    "cookies": ["sessionid=...", ...], "steps": [{"who": 0, "at": 12, "delete": 1, "insert": "-"}]}
// Each step is one op of member `who`: at code point `at`, delete `delete` code points and
// insert `insert`; every op is acknowledged before the next. Output: one JSON line
// {"ok": true, "version": n, "text": "..."}; exit 1 with {"ok": false, "reason"} on failure.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const ShareDB = require('sharedb/lib/client');
const otText = require('ot-text-unicode');

ShareDB.types.register(otText.type);
const config = JSON.parse(process.env.CONFIG);

function fail(reason) {
  console.log(JSON.stringify({ ok: false, reason }));
  process.exit(1);
}

function open(cookie) {
  const socket = new WebSocket(config.url, { headers: { Cookie: cookie }, origin: config.origin });
  socket.on('error', () => {});
  const connection = new ShareDB.Connection(socket);
  const doc = connection.get('code', config.doc);
  doc.on('error', (err) => fail(`doc error: ${err.code} ${err.message}`));
  return { socket, connection, doc };
}

const subscribe = (c) => new Promise((resolve, reject) => c.doc.subscribe((e) => (e ? reject(e) : resolve())));
const submit = (c, op) => new Promise((resolve, reject) => c.doc.submitOp(op, (e) => (e ? reject(e) : resolve())));

const clients = config.cookies.map(open);
try {
  await Promise.all(clients.map(subscribe));
  for (const step of config.steps) {
    const client = clients[step.who];
    let op = [];
    if (step.delete) op = otText.remove(step.at, step.delete);
    if (step.insert) op = otText.type.compose(op, otText.insert(step.at, step.insert));
    await submit(client, op);
    const deadline = Date.now() + 10000; // every member sees the op before the next one
    while (clients.some((c) => c.doc.version !== client.doc.version)) {
      if (Date.now() > deadline) fail('the members did not converge');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  await new Promise((r) => clients[0].connection.whenNothingPending(r));
  const { doc } = clients[0];
  console.log(JSON.stringify({ ok: true, version: doc.version, text: doc.data }));
} catch (err) {
  fail(String(err && (err.message || err.code) || err));
}
for (const c of clients) c.socket.close();
process.exit(0);
