// Unit tests of the interactive-run controller: which frames typed keys send, and when the
// shell hands its keys over.
import test from 'node:test';
import assert from 'node:assert/strict';

import { createInteractive } from './interactive.js';

function harness() {
  const sent = [];
  const shown = [];
  let live = null;
  const ctl = createInteractive({
    send: (m) => sent.push(m),
    println: (l) => shown.push(l),
    print: (t) => shown.push(t),
    setLive: (h) => {
      live = h;
    },
  });
  return { ctl, sent, shown, live: () => live };
}

test('keys go to the program only while an interactive run takes input', () => {
  const h = harness();
  assert.equal(h.ctl.handle({ type: 'run.started', run: 7, mode: 'interactive' }), false);
  assert.equal(h.live(), null);
  assert.equal(h.ctl.handle({ type: 'interactive.ready', run: 7 }), true);
  assert.equal(h.ctl.running(), true);
  h.live().line('1 2');
  h.live().eof('3');
  h.live().interrupt();
  assert.deepEqual(h.sent, [
    { type: 'stdin', data: '1 2\n' },
    { type: 'stdin', data: '3' },
    { type: 'stdin', eof: true },
    { type: 'kill' },
  ]);
  h.ctl.handle({ type: 'run.finished', run: 7, mode: 'interactive' });
  assert.equal(h.ctl.running(), false);
  assert.equal(h.live(), null);
});

test('every member\'s input is shown from the server\'s echo, with who typed it', () => {
  const h = harness();
  assert.equal(h.ctl.handle({ type: 'input', run: 7, user: 'bo', data: '10\n' }), true);
  assert.equal(h.ctl.handle({ type: 'input', run: 7, user: 'ada', eof: true }), true);
  assert.match(h.shown[0], /bo›.*10\n/);
  assert.match(h.shown[1], /ada›.*end of input/);
  assert.equal(h.ctl.handle({ type: 'output', run: 7, data: 'x' }), false);
});
