// Unit tests of the terminal's pure parts: output cleaning, input decoding, `run <<<` parsing,
// and how run events are rendered. Run: npm test (node --test, no browser).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { A, colorEscape, sanitizeOutput, strWidth, wrapWords } from './ansi.js';
import { parseHereString, runCommand } from './commands.js';
import { decodeInput } from './keys.js';
import { changeLines, createRunRenderer } from './render.js';

test('program output keeps colours and drops every other escape', () => {
  assert.equal(sanitizeOutput('\x1b[31mred\x1b[0m'), '\x1b[31mred\x1b[0m');
  assert.equal(sanitizeOutput('a\x1b[2Jb\x1b]0;title\x07c\x07'), 'abc');
  assert.equal(sanitizeOutput('tab\there\r\n'), 'tab\there\r\n');
});

test('wide characters take two cells, combining marks none', () => {
  assert.equal(strWidth('ab'), 2);
  assert.equal(strWidth('中'), 2);
  assert.equal(strWidth('e\u0301'), 1);
});

test('member colours become 24-bit escapes, anything else nothing', () => {
  assert.equal(colorEscape('#f00'), '\x1b[38;2;255;0;0m');
  assert.equal(colorEscape('red; rm -rf'), '');
});

test('run <<< parses quotes and escapes and ends with a newline', () => {
  assert.equal(parseHereString(' "1 2\\n3"'), '1 2\n3\n');
  assert.equal(parseHereString(" 'a\\tb'"), 'a\tb\n');
  assert.equal(parseHereString(' bare'), 'bare\n');
  assert.equal(parseHereString(' "open'), null);
});

test('input decoding names keys and groups typed text', () => {
  const events = [];
  decodeInput('ab\x1b[D\x03c\r\n\x1b[1;5C', (t) => events.push(['text', t]), (k) => events.push(['key', k]));
  assert.deepEqual(events, [
    ['text', 'ab'],
    ['key', 'left'],
    ['key', 'interrupt'],
    ['text', 'c'],
    ['key', 'enter'],
    ['key', 'word-right'],
  ]);
});

function fakeShell() {
  const lines = [];
  const runs = [];
  const shell = {
    lines,
    print: (t) => lines.push(t),
    println: (t) => lines.push(t),
    clearScreen: () => lines.push('<clear>'),
    history: () => ['push'],
    startStdin: () => lines.push('<stdin>'),
  };
  return { shell, runs, request: (m) => runs.push(m) };
}

test('commands send runs, and unknown commands say so', () => {
  const { shell, runs, request } = fakeShell();
  runCommand('push', shell, request);
  runCommand('run <<< "5"', shell, request);
  runCommand('run', shell, request);
  runCommand('nope', shell, request);
  assert.deepEqual(runs, [{ type: 'run', mode: 'push' }, { type: 'run', mode: 'run', stdin: '5\n' }]);
  assert.ok(shell.lines.includes('<stdin>'));
  assert.match(shell.lines.at(-1), /nope: command not found/);
});

// eslint-disable-next-line no-control-regex -- strips the SGR colour escapes, which start with ESC
const plain = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

test('a replayed event of a run is shown once', () => {
  const { shell } = fakeShell();
  const render = createRunRenderer(shell, 'ada', {});
  render({ type: 'run.started', run: 7, seq: 0, user: 'ada', mode: 'push' });
  render({ type: 'output', run: 7, seq: 1, stream: 'stdout', data: 'hello\n' });
  render({ type: 'output', run: 7, seq: 1, stream: 'stdout', data: 'hello\n' });
  render({ type: 'run.finished', run: 7, seq: 2, verdict: 'ACCEPTED', passed: 2, total: 2 });
  render({ type: 'run.finished', run: 7, seq: 2, verdict: 'ACCEPTED', passed: 2, total: 2 });
  const text = shell.lines.map(plain);
  assert.equal(text.filter((l) => l === 'hello\n').length, 1);
  assert.equal(text.filter((l) => l.includes('ACCEPTED')).length, 1);
  assert.match(text[0], /ada \(you\) submit · all test cases/);
  assert.ok(shell.lines.at(-1).startsWith(A.bold));
});

test('a custom-input run finishes with its exit code and time, never a verdict of acceptance', () => {
  const { shell } = fakeShell();
  const render = createRunRenderer(shell, 'ada', {});
  render({ type: 'run.started', run: 8, seq: 0, user: 'ada', mode: 'run' });
  render({ type: 'run.finished', run: 8, seq: 1, verdict: 'ACCEPTED', detail: '', time_ms: 34 });
  render({ type: 'run.started', run: 9, seq: 0, user: 'bob', mode: 'run' });
  render({ type: 'run.finished', run: 9, seq: 1, verdict: 'RUNTIME_ERROR', exit_code: 1, detail: 'exit code 1' });
  const ok = shell.lines.find((l) => plain(l).startsWith('■ Finished'));
  assert.match(plain(ok), /^■ Finished · exit 0 · 34 ms/);
  assert.ok(!ok.includes(A.green), 'no pass colour');
  assert.ok(!shell.lines.some((l) => l.includes('ACCEPTED')));
  assert.match(plain(shell.lines.at(-1)), /^■ RUNTIME ERROR · exit 1 — exit code 1 \(bob's run #9\)/);
});

test('the latest run replayed after a reload is called a replay, not an earlier run', () => {
  const { shell } = fakeShell();
  const render = createRunRenderer(shell, 'ada', {});
  render({ type: 'backlog', runs: [{ run: 3, user: 'ada', mode: 'push', status: 'done' }], output: '' });
  render({ type: 'run.started', run: 3, seq: 0, user: 'ada', mode: 'push' });
  assert.match(plain(shell.lines[0]), /#3 \(replay\)$/);
  assert.ok(!shell.lines.some((l) => l.includes('earlier')));
});

test('long lines break between words, never inside one', () => {
  const line = `${A.red}■ WRONG ANSWER${A.reset} 1/2 tests passed — expected 3 got 4 (ada's submit #12)`;
  const rows = plain(wrapWords(line, 20)).split('\r\n');
  assert.ok(rows.length > 1);
  for (const row of rows) assert.ok(strWidth(row) <= 20, row);
  assert.equal(rows.join(' ').replace(/ +/g, ' '), plain(line).replace(/ +/g, ' '));
  assert.equal(wrapWords('short', 20), 'short');
});

test('a push names the tests it broke or fixed and whose edits touched them', () => {
  const lines = changeLines([
    { position: 4, before: 'ACCEPTED', after: 'WRONG_ANSWER', blame: [
      { user: 'bo', lines: [12, 14], versions: [311, 329] }, { user: 'ada', lines: [30, 30], versions: [340, 340] }] },
    { position: 2, before: 'RUNTIME_ERROR', after: 'ACCEPTED', blame: [], note: 'flaky: the code did not change' },
  ]).map(plain);
  assert.equal(lines[0], '  test 4 broke: bo changed lines 12-14 (v311-v329) · ada changed line 30 (v340)');
  assert.equal(lines[1], '  test 2 fixed: flaky: the code did not change');
});

test('after a reload, earlier runs are listed once, oldest first, and the latest is replayed', () => {
  const { shell } = fakeShell();
  const render = createRunRenderer(shell, 'ada', {});
  const backlog = {
    type: 'backlog',
    output: '',
    runs: [
      { run: 5, user: 'ada', mode: 'push', status: 'done', verdict: 'ACCEPTED' },
      { run: 4, user: 'bo', mode: 'push', status: 'done', verdict: 'WRONG_ANSWER' },
      { run: 3, user: 'bo', mode: 'run', status: 'done', verdict: 'ACCEPTED' },
    ],
  };
  render(backlog);
  render(backlog); // a reconnect sends it again
  const text = shell.lines.map(plain);
  assert.deepEqual(text.filter((l) => l.startsWith('  #')), ['  #3 bo run · finished', '  #4 bo submit · WRONG ANSWER']);
  render({ type: 'run.started', run: 5, seq: 0, user: 'ada', mode: 'push' });
  assert.match(plain(shell.lines.at(-1)), /#5 \(replay\)$/);
});

test('an older run from the run list gets the same line as the backlog gives it', () => {
  const { shell } = fakeShell();
  const render = createRunRenderer(shell, 'ada', {});
  assert.equal(plain(render.summaryLine({ id: 2, user: 'bo', mode: 'push', status: 'done', verdict: 'TIME_LIMIT_EXCEEDED' })),
    '  #2 bo submit · TIME LIMIT EXCEEDED');
  assert.equal(plain(render.summaryLine({ id: 1, user: 'ada', mode: 'run', status: 'done', verdict: 'ACCEPTED' })),
    '  #1 ada (you) run · finished');
  assert.equal(plain(render.summaryLine({ id: 7, user: 'bo', mode: 'push', status: 'queued', verdict: '' })),
    '  #7 bo submit · queued');
  assert.deepEqual(shell.lines, []); // a line to place, not printed
});
