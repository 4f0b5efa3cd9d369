// Unit tests of the UTF-16 ↔ code point conversions and the presence transform.
// Run: npm run test:frontend   (node --test, no browser needed)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeSet, Text } from '@codemirror/state';
import { type } from 'ot-text-unicode';

import { changesToOp, cpLength, opToChanges, transformPosition, transformPresence } from './textops.js';

const ALPHABET = ['a', 'b', '\n', '😀', 'é', '𝄞', 'x', ' ', '中'];

function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

function randomString(rnd, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[rnd(ALPHABET.length)];
  return s;
}

/** UTF-16 offsets that are not inside a surrogate pair (what CodeMirror produces). */
function boundaries(s) {
  const out = [0];
  let i = 0;
  for (const ch of s) {
    i += ch.length;
    out.push(i);
  }
  return out;
}

const apply = (s, changes) => changes.apply(Text.of(s.split('\n'))).toString();

test('code point length', () => {
  assert.equal(cpLength('a😀b'), 3);
  assert.equal(cpLength('𝄞'), 1);
  assert.equal(cpLength(''), 0);
});

test('a local edit after an emoji becomes a code point op', () => {
  const s = '😀ab';
  const cs = ChangeSet.of([{ from: 3, to: 4, insert: 'X🎉' }], s.length);
  const op = changesToOp(cs, s);
  assert.deepEqual(op, [2, 'X🎉', { d: 'b' }]);
  assert.equal(type.apply(s, op), apply(s, cs));
});

test('a remote op after an emoji lands at the right UTF-16 offset', () => {
  const s = 'x😀y';
  assert.deepEqual(opToChanges([2, 'Z'], s), [{ from: 3, to: 3, insert: 'Z' }]);
  assert.deepEqual(opToChanges([1, { d: 1 }], s), [{ from: 1, to: 3 }]);
  assert.deepEqual(opToChanges([1, 'Q', { d: '😀' }], s), [{ from: 1, to: 3, insert: 'Q' }]);
});

test('random change sets round-trip through text-unicode ops', () => {
  const rnd = rng(42);
  for (let iter = 0; iter < 5000; iter++) {
    const s = randomString(rnd, rnd(14));
    const b = boundaries(s);
    const points = [...new Set(Array.from({ length: 2 * rnd(4) }, () => b[rnd(b.length)]))].sort((x, y) => x - y);
    const specs = [];
    for (let i = 0; i + 1 < points.length; i += 2) {
      specs.push({ from: points[i], to: rnd(2) ? points[i + 1] : points[i], insert: rnd(2) ? randomString(rnd, rnd(3)) : '' });
    }
    const cs = ChangeSet.of(specs, s.length);
    const expected = apply(s, cs);
    const op = changesToOp(cs, s);
    assert.deepEqual(op, type.normalize(op), 'ops are normalized');
    assert.equal(type.apply(s, op), expected, JSON.stringify({ s, specs, op }));
    const back = opToChanges(op, s);
    assert.equal(apply(s, ChangeSet.of(back, s.length)), expected, JSON.stringify({ s, op, back }));
  }
});

test("presence: others' ops act like transformPosition, own inserts push the cursor", () => {
  const rnd = rng(7);
  for (let iter = 0; iter < 2000; iter++) {
    const s = randomString(rnd, rnd(10) + 1);
    const n = cpLength(s);
    const at = rnd(n + 1);
    const op = type.normalize([at, randomString(rnd, 1 + rnd(2)), { d: Math.min(rnd(3), n - at) }]);
    const cursor = rnd(n + 1);
    assert.equal(transformPosition(cursor, op, false), type.transformPosition(cursor, op));
  }
  assert.equal(transformPosition(2, [2, 'xy'], true), 4);
  assert.equal(transformPosition(2, [2, 'xy'], false), 2);
  assert.deepEqual(transformPresence({ start: 1, end: 3, u: 'ada', c: '#fff' }, ['😀'], false), {
    start: 2,
    end: 4,
    u: 'ada',
    c: '#fff',
  });
  assert.equal(transformPresence(null, ['a'], false), null);
});
