// Convergence fuzz with the REAL sharedb client against our /ws/ot/ server.
//
// Several sharedb Connections (Node `ws` sockets carrying the Django session cookie) edit one
// text-unicode document at random, emoji included, and drop and re-open their sockets (possibly
// onto another server process). Then every client must reach the same version and text, which
// must equal what a fresh connection fetches from the server.
//
// Input: one JSON object in the CONFIG environment variable:
//   {"urls": ["ws://127.0.0.1:P/ws/ot/", ...], "cookies": ["sessionid=…", ...],
//    "doc": "<session id>", "clients": 6, "seconds": 8, "seed": 1, "starter": "<text at v1>"}
// Client i uses cookies[i % cookies.length] and starts on urls[i % urls.length].
// Output: one JSON line {"ok": true, "version": n, "text": "...", "acked": n, "drops": n}.
// Exit code 1 (with a JSON line giving the reason) if clients diverge or an error occurs.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const ShareDB = require('sharedb/lib/client');
const otText = require('ot-text-unicode');

const config = JSON.parse(process.env.CONFIG);
const COLLECTION = 'code';

// text-unicode with the presence transform the server implements (docs/ot.md).
function tp(cursor, op, isOwnOp) {
  let pos = 0;
  for (const c of op) {
    if (cursor < pos || (cursor === pos && !isOwnOp)) break;
    if (typeof c === 'number') pos += c;
    else if (typeof c === 'string') { const n = [...c].length; pos += n; cursor += n; }
    else cursor -= Math.min(typeof c.d === 'number' ? c.d : [...c.d].length, cursor - pos);
  }
  return cursor;
}
ShareDB.types.register({
  ...otText.type,
  transformPresence(p, op, isOwnOp) {
    if (!p) return null;
    return { ...p, start: tp(p.start, op, isOwnOp), end: tp(p.end, op, isOwnOp) };
  },
});

// A small deterministic PRNG so a failing seed can be replayed.
let state = (config.seed || 1) >>> 0;
function rand() {
  state = (state * 1664525 + 1013904223) >>> 0;
  return state / 2 ** 32;
}
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const PIECES = ['a', 'b', 'xyz', ' ', '\n', 'é', '😀', '👻🥰', 'def f():\n', '中文', '🏳️‍🌈'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fail(reason, extra = {}) {
  console.log(JSON.stringify({ ok: false, reason, ...extra }));
  process.exit(1);
}

function openSocket(url, cookie) {
  // The site's origin validator wants an Origin from an allowed host, like a browser sends.
  const origin = url.replace(/^ws/, 'http').replace(/\/ws\/ot\/$/, '');
  const socket = new WebSocket(url, { headers: { Cookie: cookie }, origin });
  socket.on('error', () => {}); // the Connection sees the close; no unhandled 'error' events
  return socket;
}

class Client {
  constructor(i) {
    this.i = i;
    this.cookie = config.cookies[i % config.cookies.length];
    this.urlIndex = i % config.urls.length;
    this.connection = new ShareDB.Connection(openSocket(config.urls[this.urlIndex], this.cookie));
    this.connection.on('error', (err) => fail(`connection ${i} error: ${err.message}`));
    this.doc = this.connection.get(COLLECTION, config.doc);
    this.doc.on('error', (err) => fail(`doc ${i} error: ${err.code} ${err.message}`));
    this.acked = 0;
    this.drops = 0;
    this.presence = this.connection.getDocPresence(COLLECTION, config.doc);
    this.local = this.presence.create(`cursor-${i}`);
  }

  subscribe() {
    return new Promise((resolve, reject) => {
      this.doc.subscribe((err) => (err ? reject(err) : resolve()));
    });
  }

  length() {
    return [...(this.doc.data || '')].length;
  }

  randomOp() {
    const len = this.length();
    if (len > 0 && rand() < 0.35) {
      const pos = Math.floor(rand() * len);
      const n = 1 + Math.floor(rand() * Math.min(5, len - pos));
      return otText.remove(pos, n);
    }
    return otText.insert(Math.floor(rand() * (len + 1)), pick(PIECES));
  }

  edit() {
    if (!this.doc.type) return;
    this.doc.submitOp(this.randomOp(), (err) => {
      if (err) fail(`op of client ${this.i} rejected: ${err.code} ${err.message}`);
      this.acked += 1;
    });
    if (rand() < 0.2 && this.connection.state === 'connected') {
      const len = this.length();
      const start = Math.floor(rand() * (len + 1));
      this.local.submit({ start, end: start }, (err) => {
        if (err && err.code !== 'ERR_PRESENCE_PENDING') {
          // A presence sent just before a reconnect may be refused by the client itself.
          if (!/disconnect|closed/i.test(err.message)) fail(`presence ${this.i}: ${err.message}`);
        }
      });
    }
  }

  drop() {
    // Kill the socket without a close handshake, then come back, maybe on another server.
    if (this.dropping) return;
    this.dropping = true;
    this.drops += 1;
    const socket = this.connection.socket;
    const delay = 20 + Math.floor(rand() * 250);
    socket.addEventListener('close', () => setTimeout(() => {
      if (rand() < 0.5) this.urlIndex = (this.urlIndex + 1) % config.urls.length;
      this.connection.bindToSocket(openSocket(config.urls[this.urlIndex], this.cookie));
      this.dropping = false;
    }, delay));
    socket.terminate();
  }

  whenNothingPending() {
    return new Promise((resolve) => this.connection.whenNothingPending(resolve));
  }
}

async function serverSnapshot() {
  const connection = new ShareDB.Connection(openSocket(config.urls[0], config.cookies[0]));
  const doc = connection.get(COLLECTION, config.doc);
  await new Promise((resolve, reject) => doc.fetch((err) => (err ? reject(err) : resolve())));
  const out = { version: doc.version, text: doc.data };
  connection.close();
  return out;
}

async function main() {
  const clients = Array.from({ length: config.clients }, (_, i) => new Client(i));
  await Promise.all(clients.map((c) => c.subscribe()));
  for (const c of clients) {
    if (!c.doc.type) fail('the session document does not exist');
    await new Promise((resolve, reject) => c.presence.subscribe((e) => (e ? reject(e) : resolve())));
  }

  const until = Date.now() + config.seconds * 1000;
  await Promise.all(clients.map(async (c) => {
    while (Date.now() < until) {
      const burst = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < burst; k++) c.edit();
      if (rand() < 0.04 && c.connection.state === 'connected') c.drop();
      await sleep(Math.floor(rand() * 40));
    }
  }));

  // Let every socket come back and every op be acknowledged.
  const deadline = Date.now() + 30000;
  while (clients.some((c) => c.connection.state !== 'connected')) {
    if (Date.now() > deadline) fail('clients did not reconnect');
    await sleep(50);
  }
  await Promise.all(clients.map((c) => c.whenNothingPending()));
  const server = await serverSnapshot();
  // Every client must reach the server's version through its own subscription stream.
  while (clients.some((c) => c.doc.version !== server.version || c.doc.hasPending())) {
    if (Date.now() > deadline) {
      fail('clients did not catch up', {
        server: server.version,
        versions: clients.map((c) => c.doc.version),
      });
    }
    await sleep(50);
  }
  const texts = new Set(clients.map((c) => c.doc.data));
  if (texts.size !== 1 || !texts.has(server.text)) {
    fail('clients diverged', { server, texts: [...texts] });
  }
  // Snapshots at a version (nf) through the client API, and a ping/pong round trip.
  const probe = clients[0].connection;
  const fetchSnapshot = (v) => new Promise((resolve, reject) => {
    probe.fetchSnapshot(COLLECTION, config.doc, v, (e, snap) => (e ? reject(e) : resolve(snap)));
  });
  const first = await fetchSnapshot(1);
  if (first.v !== 1 || (config.starter !== undefined && first.data !== config.starter)) {
    fail('snapshot at version 1 is not the starter code', { first });
  }
  const latest = await fetchSnapshot(null);
  if (latest.v !== server.version || latest.data !== server.text) {
    fail('latest snapshot differs', { latest, server });
  }
  const middle = Math.floor(server.version / 2);
  if ((await fetchSnapshot(middle)).v !== middle) fail('snapshot at a middle version');
  await new Promise((resolve) => { probe.once('pong', resolve); probe.ping(); });

  if (config.outsider) {
    // A logged-in non-member gets the refusal, never the document.
    const connection = new ShareDB.Connection(openSocket(config.urls[0], config.outsider));
    const doc = connection.get(COLLECTION, config.doc);
    const err = await new Promise((resolve) => doc.subscribe((e) => resolve(e)));
    if (!err || err.code !== 'ERR_SNAPSHOT_READS_REJECTED' || doc.data !== undefined) {
      fail('an outsider could subscribe', { code: err && err.code, data: doc.data });
    }
    connection.close();
  }

  const acked = clients.reduce((n, c) => n + c.acked, 0);
  const drops = clients.reduce((n, c) => n + c.drops, 0);
  console.log(JSON.stringify({ ok: true, version: server.version, text: server.text, acked, drops }));
  for (const c of clients) c.connection.close();
  setTimeout(() => process.exit(0), 100);
}

main().catch((err) => fail(`unexpected: ${err && err.stack}`));
