// The official ShareDB server, as the benchmark's reference: sharedb's Backend with its
// in-memory database and pub/sub, served over `ws` at /ws/ot/ (the same path as ours).
// With DATABASE_URL set it persists every op in PostgreSQL instead, through the sharedb-postgres
// adapter (its tables are created in that database first), as our server does.
// The WebSocket-to-object-stream adapter is the few lines @teamwork/websocket-json-stream does.
//
// Usage: PORT=9000 DOC=bench|DOCS=a,b [DATABASE_URL=postgres://…] node bench/sharedb_server.mjs
// (prints "ready" when listening). It creates code/<DOC> as a one-line text-unicode document first (sharedb-postgres reads an
// empty text back as no data).

import { createRequire } from 'node:module';
import { transformPresence } from '../frontend/textops.js';
import http from 'node:http';
import { Duplex } from 'node:stream';

const require = createRequire(import.meta.url);
const ShareDB = require('sharedb');
const WebSocket = require('ws');
const otText = require('ot-text-unicode');

// The editor's type: text-unicode with the cursor transform presence needs.
ShareDB.types.register({ ...otText.type, transformPresence });
const backend = new ShareDB({ presence: true, db: await database() });

async function database() {
  if (!process.env.DATABASE_URL) return undefined; // sharedb's in-memory database
  const PostgresDB = require('sharedb-postgres');
  const structure = require('node:fs').readFileSync(
    require.resolve('sharedb-postgres/structure.sql'), 'utf8');
  const db = new PostgresDB({ connectionString: process.env.DATABASE_URL, max: 10 });
  await db._pool.query(structure);
  return db;
}

function jsonStream(ws) {
  const stream = new Duplex({
    objectMode: true,
    read() {},
    write(message, _encoding, callback) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
      callback();
    },
  });
  ws.on('message', (data) => {
    try { stream.push(JSON.parse(data.toString())); } catch (err) { stream.emit('error', err); }
  });
  ws.on('close', () => { stream.push(null); stream.destroy(); });
  stream.on('error', () => ws.close());
  stream.on('end', () => ws.close());
  return stream;
}

const server = http.createServer();
const wss = new WebSocket.Server({ server, path: '/ws/ot/' });
wss.on('connection', (ws) => backend.listen(jsonStream(ws)));

// DOCS=a,b,c creates several documents (the many-sessions benchmark), DOC one.
const connection = backend.connect();
for (const id of (process.env.DOCS || process.env.DOC || 'bench').split(',')) {
  await new Promise((resolve, reject) => connection.get('code', id)
    .create('# benchmark\n', otText.type.uri, (err) => (err ? reject(err) : resolve())));
}
server.listen(Number(process.env.PORT || 9000), '127.0.0.1', () => console.log('ready'));
