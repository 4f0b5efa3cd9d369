// Differential-test oracle: answers text-unicode questions with the real ot-text-unicode
// library, so the Python port (sessions_app/ot/text_unicode.py) can be compared with it.
//
// Protocol: one JSON object per line on stdin, one JSON object per line on stdout.
//   request  {"id": <any>, "calls": [[fnName, ...args], ...]}
//   response {"id": <same>, "results": [{"ok": <value>} | {"err": "<message>"}, ...]}
//   request  {"id": <any>, "version": true}  -> {"id", "version": "<package version>"}
//   request  {"id": <any>, "bench": {"doc": str, "ops": [op...], "other": op, "seconds": n}}
//            -> {"id", "bench": {"apply_per_s": n, "transform_per_s": n}}
// transformPresence is the client's wrapped-type function from frontend/textops.js.
// Every call gets its own freshly parsed arguments (the library mutates some of its inputs).

import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const { type } = require('ot-text-unicode');
const { version } = require('ot-text-unicode/package.json');

// The browser's presence transform (text-unicode has none upstream); the server must match it.
const textops = await import(new URL('../../frontend/textops.js', import.meta.url));

const fns = {
  checkOp: (op) => { type.checkOp(op); return null; },
  normalize: (op) => type.normalize(op),
  create: (data) => type.create(data === null ? undefined : data),
  apply: (doc, op) => type.apply(doc, op),
  transform: (op, other, side) => type.transform(op, other, side),
  compose: (a, b) => type.compose(a, b),
  transformPosition: (cursor, op) => type.transformPosition(cursor, op),
  transformSelection: (sel, op) => type.transformSelection(sel, op),
  makeInvertible: (op, doc) => type.makeInvertible(op, doc),
  invert: (op) => type.invert(op),
  invertWithDoc: (op, doc) => type.invertWithDoc(op, doc),
  stripInvertible: (op) => type.stripInvertible(op),
  isInvertible: (op) => type.isInvertible(op),
  transformPresence: (p, op, isOwnOp) => textops.transformPresence(p, op, isOwnOp),
};

function call([fn, ...args]) {
  const impl = fns[fn];
  if (!impl) return { err: `unknown function ${fn}` };
  try {
    const value = impl(...args);
    return { ok: value === undefined ? null : value };
  } catch (e) {
    return { err: String(e && e.message ? e.message : e) };
  }
}

function bench({ doc, ops, other, seconds }) {
  const rate = (fn) => {
    // Warm up, then count calls for the requested wall time.
    for (let i = 0; i < 2000; i++) fn(i);
    let n = 0;
    const start = process.hrtime.bigint();
    const limit = BigInt(Math.round(seconds * 1e9));
    let elapsed = 0n;
    while (elapsed < limit) {
      for (let i = 0; i < 500; i++) fn(n++);
      elapsed = process.hrtime.bigint() - start;
    }
    return n / (Number(elapsed) / 1e9);
  };
  let sink = 0;
  const applyRate = rate((i) => { sink += type.apply(doc, ops[i % ops.length]).length; });
  const transformRate = rate((i) => { sink += type.transform(ops[i % ops.length], other, 'left').length; });
  return { apply_per_s: applyRate, transform_per_s: transformRate, sink };
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: null, error: `bad JSON: ${e.message}` }) + '\n');
    return;
  }
  let response;
  if (request.version) {
    response = { id: request.id, version };
  } else if (request.bench) {
    response = { id: request.id, bench: bench(request.bench) };
  } else {
    // Arguments are re-parsed per call so that no call sees another call's mutations.
    const results = request.calls.map((c) => call(JSON.parse(JSON.stringify(c))));
    response = { id: request.id, results };
  }
  process.stdout.write(JSON.stringify(response) + '\n');
});
