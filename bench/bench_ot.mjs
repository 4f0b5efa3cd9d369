// Collaborative-typing benchmark with the real sharedb client.
//
// N clients each type `rate` characters a second into one text-unicode document for `seconds`
// seconds. A keystroke is one submitOp; the sharedb client keeps one op in flight and composes
// keystrokes typed meanwhile, exactly as in the browser. We measure, per keystroke, the time
// from submitOp to its acknowledgement (the callback), and count server commits (versions).
//
// Client i connects to urls[i % urls.length] (several server processes share the document).
// Input: CONFIG env var, JSON:
//   {"urls": ["ws://…", …], "cookies": ["sessionid=…"] | [], "doc": "<id>", "collection": "code",
//    "clients": 20, "seconds": 20, "rate": 10, "label": "codepusher"}
// Output: one JSON line with keystrokes, acked, acked_per_s, commits, commits_per_s,
//         p50_ms, p99_ms, max_ms, converged.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const ShareDB = require('sharedb/lib/client');
const otText = require('ot-text-unicode');

ShareDB.types.register(otText.type);
const config = JSON.parse(process.env.CONFIG);
const collection = config.collection || 'code';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function openSocket(i) {
  const headers = config.cookies && config.cookies.length
    ? { Cookie: config.cookies[i % config.cookies.length] } : {};
  const url = config.urls[i % config.urls.length];
  const origin = url.replace(/^ws/, 'http').replace(/\/ws\/ot\/$/, '').replace(/\/$/, '');
  const socket = new WebSocket(url, { headers, origin });
  socket.on('error', (err) => { console.error(`socket ${i}: ${err.message}`); });
  return socket;
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const clients = [];
  for (let i = 0; i < config.clients; i++) {
    const connection = new ShareDB.Connection(openSocket(i));
    const doc = connection.get(collection, config.doc);
    await new Promise((resolve, reject) => doc.subscribe((e) => (e ? reject(e) : resolve())));
    if (!doc.type) throw new Error('document does not exist');
    clients.push({ connection, doc, latencies: [], sent: 0, errors: 0 });
  }
  const startVersion = clients[0].doc.version;
  const interval = 1000 / config.rate;
  const started = Date.now();
  const until = started + config.seconds * 1000;

  await Promise.all(clients.map(async (c, i) => {
    // Spread the clients' typing phases over one interval.
    await sleep((interval * i) / clients.length);
    let next = Date.now();
    while (Date.now() < until) {
      const len = [...c.doc.data].length;
      const pos = Math.floor(Math.random() * (len + 1));
      const t0 = performance.now();
      c.sent += 1;
      c.doc.submitOp(otText.insert(pos, String.fromCharCode(97 + (i % 26))), (err) => {
        if (err) { c.errors += 1; return; }
        c.latencies.push(performance.now() - t0);
      });
      next += interval;
      await sleep(Math.max(0, next - Date.now()));
    }
  }));
  const typingSeconds = (Date.now() - started) / 1000;
  await Promise.all(clients.map((c) => new Promise((r) => c.connection.whenNothingPending(r))));
  // Give pushed ops a moment to reach everyone, then compare replicas.
  const target = Math.max(...clients.map((c) => c.doc.version));
  for (let k = 0; k < 100 && clients.some((c) => c.doc.version !== target); k++) await sleep(50);
  const converged = new Set(clients.map((c) => c.doc.data)).size === 1;

  const all = clients.flatMap((c) => c.latencies).sort((a, b) => a - b);
  const keystrokes = clients.reduce((n, c) => n + c.sent, 0);
  const errors = clients.reduce((n, c) => n + c.errors, 0);
  const commits = target - startVersion;
  const out = {
    label: config.label,
    clients: config.clients,
    seconds: Math.round(typingSeconds * 10) / 10,
    keystrokes,
    acked: all.length,
    errors,
    acked_per_s: Math.round(all.length / typingSeconds),
    commits,
    commits_per_s: Math.round(commits / typingSeconds),
    p50_ms: Math.round(percentile(all, 50) * 10) / 10,
    p99_ms: Math.round(percentile(all, 99) * 10) / 10,
    max_ms: Math.round(all[all.length - 1] * 10) / 10,
    final_version: target,
    converged,
  };
  console.log(JSON.stringify(out));
  for (const c of clients) c.connection.close();
  setTimeout(() => process.exit(0), 200);
}

main().catch((err) => { console.log(JSON.stringify({ error: String(err && err.stack) })); process.exit(1); });
