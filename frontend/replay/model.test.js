import assert from 'node:assert/strict';
import { test } from 'node:test';

import { advance, buildModel, CHECKPOINT_EVERY, eventTimes, textAt, tracks, versionAt } from './model.js';

const at = (ms) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

function session(n) {
  const events = [{ kind: 'op', v: 1, at: at(0), user: 'ann', create: { type: 'text-unicode', data: '' } }];
  for (let i = 1; i <= n; i += 1) {
    events.push({ kind: 'op', v: i + 1, at: at(i * 100), user: i % 2 ? 'ann' : 'bob', op: i > 1 ? [i - 1, String(i % 10)] : [String(i % 10)] });
  }
  return events;
}

test('text at every version equals applying the ops one by one', () => {
  const events = session(CHECKPOINT_EVERY * 2 + 17);
  const model = buildModel(events);
  let text = '';
  for (const e of events) {
    if (e.create) text = '';
    else {
      const [pos, ins] = e.op.length === 2 ? e.op : [0, e.op[0]];
      text = text.slice(0, pos) + ins + text.slice(pos);
    }
    assert.equal(textAt(model, e.v), text);
  }
  assert.equal(model.finalText, text);
});

test('versions by time, pastes flagged, idle skipped', () => {
  const events = session(3);
  events.push({ kind: 'op', v: 5, at: at(10_000), user: 'bob', op: [3, 'x'.repeat(81)] });
  events.push({ kind: 'run', at: at(10_500), user: 'ann', id: 9, version: 5, verdict: 'ACCEPTED' });
  const model = buildModel(events);
  assert.equal(versionAt(model, model.start - 1), 1);
  assert.equal(versionAt(model, model.start + 250), 3);
  assert.equal(versionAt(model, model.end), 5);
  const bob = tracks(model).find((t) => t.user === 'bob');
  assert.equal(bob.pastes.length, 1);
  const times = eventTimes(model);
  const t = model.start + 300;
  assert.equal(advance(times, t, 100, 1, false), t + 100);
  assert.equal(advance(times, t, 100, 1, true), model.start + 10_000 - 200);
  assert.equal(advance(times, t, 100, 8, false), t + 800);
});
