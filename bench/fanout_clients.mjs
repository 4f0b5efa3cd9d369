// Load for the relay servers (bench/fanout_app.py, bench/fanout_ws.mjs): N clients, each
// sending `rate` frames a second shaped like a one-keystroke ShareDB op; each frame comes back
// to every client. Per frame sent we measure the time until the sender receives its own copy.
//
// Input: CONFIG env var, JSON: {"url": "ws://…/ws/relay/", "clients": 20, "seconds": 10,
//   "rate": 10, "label": "…"}
// Output: one JSON line with sent, returned, received, p50_ms, p99_ms, max_ms.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');

const config = JSON.parse(process.env.CONFIG);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function open(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(config.url);
    const client = { i, ws, sentAt: new Map(), latencies: [], received: 0 };
    ws.on('open', () => resolve(client));
    ws.on('error', reject);
    ws.on('message', (data) => {
      client.received++;
      const message = JSON.parse(data.toString());
      if (message.src !== `client-${i}`) return;
      const sent = client.sentAt.get(message.seq);
      if (sent !== undefined) {
        client.latencies.push(performance.now() - sent);
        client.sentAt.delete(message.seq);
      }
    });
  });
}

async function main() {
  const clients = [];
  for (let i = 0; i < config.clients; i++) clients.push(await open(i));
  const interval = 1000 / config.rate;
  const started = Date.now();
  const until = started + config.seconds * 1000;
  let sent = 0;
  await Promise.all(clients.map(async (c) => {
    await sleep((interval * c.i) / clients.length);
    let next = Date.now();
    for (let seq = 1; Date.now() < until; seq++) {
      const frame = { a: 'op', c: 'code', d: 'bench', v: seq, src: `client-${c.i}`, seq,
        op: [Math.floor(Math.random() * 1000), 'x'] };
      c.sentAt.set(seq, performance.now());
      c.ws.send(JSON.stringify(frame));
      sent++;
      next += interval;
      await sleep(Math.max(0, next - Date.now()));
    }
  }));
  const elapsed = (Date.now() - started) / 1000;
  await sleep(1000); // let the last frames come back
  const latencies = clients.flatMap((c) => c.latencies).sort((a, b) => a - b);
  const round = (x) => (x === null ? null : Math.round(x * 100) / 100);
  console.log(JSON.stringify({
    label: config.label,
    clients: config.clients,
    seconds: Math.round(elapsed * 10) / 10,
    sent,
    returned: latencies.length,
    received: clients.reduce((n, c) => n + c.received, 0),
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    max_ms: round(latencies[latencies.length - 1] ?? null),
  }));
  for (const c of clients) c.ws.close();
}

main().catch((err) => { console.error(err.stack || String(err)); process.exit(1); });
