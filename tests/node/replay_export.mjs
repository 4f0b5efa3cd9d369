// Rebuild a session's code from its exported JSON (GET /api/sessions/<id>/export/) with the real
// ot-text-unicode, as the replay page does: start from the create op, apply every op in order.
//   node tests/node/replay_export.mjs export.json
// prints {"versions": {"<v>": text, ...}} for every version the ops produce.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { type } = require('ot-text-unicode');

const exported = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const versions = {};
let text = null;
let expected = 1;
for (const event of exported.ops) {
  if (event.v !== expected) throw new Error(`op producing v${event.v} where v${expected} was due`);
  text = event.create ? type.create(event.create.data) : type.apply(text, event.op);
  versions[event.v] = text;
  expected += 1;
}
process.stdout.write(JSON.stringify({ versions }));
