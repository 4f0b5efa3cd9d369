// Collaborative-typing benchmark with the real sharedb client.
//
// N clients each type `rate` characters a second into one text-unicode document for `seconds`
// seconds. A keystroke is one submitOp; the sharedb client keeps one op in flight and composes
// keystrokes typed meanwhile, exactly as in the browser. We measure, per keystroke, the time
// from submitOp to its acknowledgement (the callback), and count server commits (versions).
//
// Client i connects to urls[i % urls.length] (several server processes share the document).
// Many sessions: with "docs" (a list of ids) the clients are "per_doc" typists on each document,
// plus "idle_per_doc" members who only watch and send their cursor presence the way the editor
// does (after each change of the document, at most every 40 ms); client i of the whole list uses
// cookies[i], so give one cookie per member in the same order.
// Input: CONFIG env var, JSON:
//   {"urls": ["ws://…", …], "cookies": ["sessionid=…"] | [], "doc": "<id>", "collection": "code",
//    "clients": 20, "seconds": 20, "rate": 10, "label": "codepusher",
//    "docs": ["<id>", …], "per_doc": 2, "idle_per_doc": 1}
// Output: one JSON line with keystrokes, acked, acked_per_s, commits, commits_per_s,
//         p50_ms, p99_ms, max_ms, converged (every document), docs, connections.

import { createRequire } from 'node:module';
import { transformPresence } from '../frontend/textops.js';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const ShareDB = require('sharedb/lib/client');
const otText = require('ot-text-unicode');

// The editor's type: text-unicode with the cursor transform presence needs.
ShareDB.types.register({ ...otText.type, transformPresence });
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

async function join(i, docId) {
  const connection = new ShareDB.Connection(openSocket(i));
  const doc = connection.get(collection, docId);
  await new Promise((resolve, reject) => doc.subscribe((e) => (e ? reject(e) : resolve())));
  if (!doc.type) throw new Error('document does not exist');
  return { connection, doc, docId, latencies: [], sent: 0, errors: 0 };
}

// A member who only watches: like the editor, it re-sends its cursor when the document changed.
function watchWithPresence(member) {
  const local = member.connection.getDocPresence(collection, member.docId).create();
  let timer = null;
  let sentVersion = null;
  const send = () => {
    timer = null;
    if (member.doc.version === sentVersion) return;
    sentVersion = member.doc.version;
    local.submit({ start: 0, end: 0, u: 'idle', c: '#888' }, (err) => { if (err) member.errors += 1; });
  };
  send();
  member.doc.on('op', () => { if (!timer) timer = setTimeout(send, 40); });
}

async function main() {
  const docs = config.docs || [config.doc];
  const perDoc = config.docs ? config.per_doc : config.clients;
  const idlePerDoc = config.docs ? config.idle_per_doc || 0 : 0;
  const clients = [];
  const idle = [];
  let index = 0;
  for (const docId of docs) {
    for (let t = 0; t < perDoc; t++) clients.push(await join(index++, docId));
    for (let k = 0; k < idlePerDoc; k++) idle.push(await join(index++, docId));
  }
  idle.forEach(watchWithPresence);
  const startVersions = new Map(clients.map((c) => [c.docId, c.doc.version]));
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
  // Give pushed ops a moment to reach everyone, then compare the replicas of each document.
  const everyone = [...clients, ...idle];
  const target = new Map();
  for (const c of everyone) target.set(c.docId, Math.max(target.get(c.docId) || 0, c.doc.version));
  const behind = () => everyone.some((c) => c.doc.version !== target.get(c.docId));
  for (let k = 0; k < 100 && behind(); k++) await sleep(50);
  const converged = !behind() && docs.every(
    (id) => new Set(everyone.filter((c) => c.docId === id).map((c) => c.doc.data)).size === 1);

  const all = clients.flatMap((c) => c.latencies).sort((a, b) => a - b);
  const keystrokes = clients.reduce((n, c) => n + c.sent, 0);
  const errors = everyone.reduce((n, c) => n + c.errors, 0);
  let commits = 0;
  for (const [id, start] of startVersions) commits += target.get(id) - start;
  const out = {
    label: config.label,
    clients: clients.length,
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
    final_version: target.get(docs[0]),
    final_versions: Object.fromEntries(target),
    converged,
    docs: docs.length,
    connections: everyone.length,
  };
  console.log(JSON.stringify(out));
  for (const c of everyone) c.connection.close();
  setTimeout(() => process.exit(0), 200);
}

main().catch((err) => { console.log(JSON.stringify({ error: String(err && err.stack) })); process.exit(1); });
