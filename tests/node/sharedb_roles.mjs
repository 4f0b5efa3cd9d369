// Driver mode with the REAL sharedb client: a navigator's op is refused and rolled back, the
// socket stays usable, the driver's ops are accepted, a hand-over moves the right to edit,
// and every replica converges throughout.
//
// sharedb answers ERR_OP_SUBMIT_REJECTED by rolling the op back and calling the submit
// callback WITHOUT an error (it treats the code as an intentional refusal), so the refusal is
// read from the frames the socket received.
//
// Input (CONFIG environment variable, JSON):
//   {"url": "ws://127.0.0.1:P/ws/ot/", "http": "http://127.0.0.1:P", "doc": "<session id>",
//    "cookies": [owner, navigator], "tokens": [owner, navigator], "names": [owner, navigator]}
// Output: one JSON line {"ok": true, "version": n, "text": "...", "steps": [...]}; exit 1 and
// {"ok": false, "reason": ...} on the first broken expectation.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const ShareDB = require('sharedb/lib/client');
const otText = require('ot-text-unicode');

ShareDB.types.register(otText.type);
const config = JSON.parse(process.env.CONFIG);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const steps = [];

function fail(reason, extra = {}) {
  console.log(JSON.stringify({ ok: false, reason, steps, ...extra }));
  process.exit(1);
}

function open(cookie) {
  const origin = config.http;
  const socket = new WebSocket(config.url, { headers: { Cookie: cookie }, origin });
  socket.on('error', () => {});
  const client = { errors: new Map() }; // op seq -> the error frame the server sent for it
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.a === 'op' && frame.error) client.errors.set(frame.seq, frame.error);
  });
  client.connection = new ShareDB.Connection(socket);
  client.doc = client.connection.get('code', config.doc);
  client.doc.on('error', (err) => fail(`doc error event: ${err.code} ${err.message}`));
  return client;
}

async function roles(who, body) {
  const response = await fetch(`${config.http}/api/sessions/${config.doc}/roles/`, {
    method: 'PATCH',
    headers: { Authorization: `Token ${config.tokens[who]}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = await response.json();
  if (response.status !== 200) fail(`PATCH roles ${JSON.stringify(body)}: ${response.status}`, { data });
  steps.push({ patch: body, driver: data.driver, mode: data.mode });
  return data;
}

function submit(client, op) {
  const seq = client.connection.seq; // the seq sharedb gives the op it sends next
  return new Promise((resolve) => client.doc.submitOp(op, (err) => {
    resolve(err || client.errors.get(seq) || null);
  }));
}

// Role changes reach the OT servers through Redis: an op may still pass in the first moments.
// Submit until the expected outcome, for at most two seconds; report how many tries it took.
async function until(client, wanted, text) {
  const deadline = Date.now() + 2000;
  for (let tries = 1; ; tries++) {
    const err = await submit(client, otText.insert(0, text));
    const outcome = err ? 'refused' : 'accepted';
    if (outcome === wanted) return { err, tries };
    if (Date.now() > deadline) fail(`expected ${wanted} for "${text}", got ${outcome}`, { err });
    await sleep(50);
  }
}

async function settled(clients) {
  await Promise.all(clients.map((c) => new Promise((r) => c.connection.whenNothingPending(r))));
  const deadline = Date.now() + 10000;
  while (clients.some((c) => c.doc.version !== clients[0].doc.version || c.doc.hasPending())) {
    if (Date.now() > deadline) fail('replicas did not reach one version');
    await sleep(20);
  }
  if (clients.some((c) => c.doc.data !== clients[0].doc.data)) {
    fail('replicas diverged', { texts: clients.map((c) => c.doc.data) });
  }
}

async function main() {
  const owner = open(config.cookies[0]);
  const navigator = open(config.cookies[1]);
  const clients = [owner, navigator];
  await Promise.all(clients.map((c) => new Promise((res, rej) => c.doc.subscribe((e) => (e ? rej(e) : res())))));

  await roles(0, { mode: 'driver' });
  const refused = await until(navigator, 'refused', 'N1');
  if (refused.err.code !== 'ERR_OP_SUBMIT_REJECTED' || refused.err.message !== 'only the driver edits now') {
    fail('the navigator got the wrong error', { err: refused.err });
  }
  steps.push({ navigator_refused: refused.err.code, tries: refused.tries });
  await settled(clients);
  if (navigator.doc.data.includes('N1')) fail('the refused op was not rolled back');
  const ownerOk = await submit(owner, otText.insert(0, 'D1'));
  if (ownerOk) fail('the driver was refused', { err: ownerOk });
  await settled(clients);

  // The navigator asks for the keyboard; the driver hands it over.
  const asked = await roles(1, { request_keyboard: true });
  if (!asked.requests.includes(config.names[1])) fail('the request is not listed', { asked });
  await roles(0, { driver: config.names[1] });
  const accepted = await until(navigator, 'accepted', 'N2');
  steps.push({ navigator_accepted_after: accepted.tries });
  const back = await until(owner, 'refused', 'D2');
  if (back.err.code !== 'ERR_OP_SUBMIT_REJECTED') fail('the old driver got the wrong error', { err: back.err });
  await settled(clients);

  // Everyone edits again, at the same time, on the same sockets.
  await roles(0, { mode: 'free' });
  await until(owner, 'accepted', 'F0');
  const ops = [];
  for (let i = 0; i < 10; i++) {
    ops.push(submit(owner, otText.insert(0, `o${i}`)), submit(navigator, otText.insert(0, `n${i}`)));
  }
  const errors = (await Promise.all(ops)).filter(Boolean);
  if (errors.length) fail('free-mode ops refused', { errors: errors.map((e) => e.code) });
  await settled(clients);
  console.log(JSON.stringify({ ok: true, version: owner.doc.version, text: owner.doc.data, steps }));
  clients.forEach((c) => c.connection.close());
  process.exit(0);
}

main().catch((err) => fail(`crashed: ${err.stack || err}`));
