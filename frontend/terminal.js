// Shared terminal: xterm.js + a small line-editing shell on /ws/sessions/<id>/terminal/.
//
// Every member sees every run: the server broadcasts run.queued / run.started / output /
// test.result / run.finished to the whole session, and sends a backlog on connect so late
// joiners (and reloads) see what the latest run printed so far, or how it ended. A run's events
// carry a `seq`, so one replayed by a reconnect is shown once.
//
// Output that arrives while someone is typing never corrupts the input line: the prompt and
// the current input are erased, the output printed, and the prompt redrawn below it.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import ReconnectingWebSocket from 'reconnecting-websocket';

import { wsUrl } from './editor.js';

const ESC = '\x1b';
const A = {
  reset: `${ESC}[0m`,
  bold: `${ESC}[1m`,
  dim: `${ESC}[2m`,
  italic: `${ESC}[3m`,
  red: `${ESC}[31m`,
  green: `${ESC}[32m`,
  yellow: `${ESC}[33m`,
  blue: `${ESC}[34m`,
  magenta: `${ESC}[35m`,
  cyan: `${ESC}[36m`,
  gray: `${ESC}[90m`,
  brightRed: `${ESC}[91m`,
};

const PROMPT = `${A.green}$${A.reset} `;
const PROMPT_WIDTH = 2;
const STDIN_PROMPT = `${A.gray}>${A.reset} `;
const STDIN_PROMPT_WIDTH = 2;
const HISTORY_KEY = 'codepusher.terminal.history';
const HISTORY_MAX = 200;
const SAMPLE_FIELD_MAX = 1500;

const VERDICT_LABEL = {
  ACCEPTED: 'ACCEPTED',
  WRONG_ANSWER: 'WRONG ANSWER',
  TIME_LIMIT_EXCEEDED: 'TIME LIMIT EXCEEDED',
  MEMORY_LIMIT_EXCEEDED: 'MEMORY LIMIT EXCEEDED',
  OUTPUT_LIMIT_EXCEEDED: 'OUTPUT LIMIT EXCEEDED',
  RUNTIME_ERROR: 'RUNTIME ERROR',
  COMPILATION_ERROR: 'COMPILATION ERROR',
  INTERNAL_ERROR: 'INTERNAL ERROR',
};

const HELP = [
  ['push', 'run your code against all test cases of the challenge'],
  ['run', 'run your code with input you type (end with a line "." or Ctrl-D)'],
  ['run <<< "1 2\\n3"', 'run with inline input (\\n, \\t escapes)'],
  ['history', 'list the commands you typed'],
  ['clear', 'clear the terminal (Ctrl-L)'],
  ['help', 'this list'],
];

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Display width of one code point in a terminal cell grid (rough wcwidth). */
function cpWidth(cp) {
  if (cp === 0) return 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  // combining marks, zero width joiner, variation selectors
  if (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x20d0 && cp <= 0x20ff)
  ) {
    return 0;
  }
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x1f680 && cp <= 0x1f6ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

function strWidth(chars) {
  let w = 0;
  for (const ch of chars) w += cpWidth(ch.codePointAt(0));
  return w;
}

// eslint-disable-next-line no-control-regex
const SGR_RE = /\x1b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex
const ANY_ESCAPE_RE = /\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[PX^_][^\x1b]*(\x1b\\)?|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;

/**
 * Program output is untrusted: keep colours (SGR), tabs, newlines and carriage returns;
 * drop every other escape/control sequence (cursor movement, screen clears, OSC, …).
 */
export function sanitizeOutput(text) {
  return String(text)
    .replace(ANY_ESCAPE_RE, (m) => (/^\x1b\[[0-9;]*m$/.test(m) ? m : ''))
    .replace(CONTROL_RE, '');
}

function stripAnsi(s) {
  return s.replace(SGR_RE, '');
}

/** Parse `run <<< "…"` input: quoted or bare, with \n \t \\ \" \' escapes; adds a final newline. */
export function parseHereString(rest) {
  let s = rest.trim();
  let body;
  if (s.startsWith('"') || s.startsWith("'")) {
    const q = s[0];
    let i = 1;
    let out = '';
    let closed = false;
    for (; i < s.length; i++) {
      const ch = s[i];
      if (ch === '\\' && i + 1 < s.length) {
        out += ch + s[i + 1];
        i++;
      } else if (ch === q) {
        closed = true;
        break;
      } else {
        out += ch;
      }
    }
    if (!closed) return null;
    body = out;
  } else {
    body = s;
  }
  body = body.replace(/\\(.)/g, (_m, c) => ({ n: '\n', t: '\t', r: '\r', '0': '\0' })[c] ?? c);
  return body.endsWith('\n') ? body : body + '\n';
}

function verdictColor(v) {
  if (v === 'ACCEPTED') return A.green;
  if (v === 'INTERNAL_ERROR') return A.magenta;
  if (v === 'COMPILATION_ERROR') return A.yellow;
  return A.red;
}

function verdictText(v) {
  return VERDICT_LABEL[v] || String(v || 'UNKNOWN');
}

function clip(text, max) {
  const s = String(text ?? '');
  return s.length > max ? s.slice(0, max) + `\n${A.dim}… (${s.length - max} more characters)${A.reset}` : s;
}

function indent(text, pad) {
  return String(text)
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function cssVar(el, name, fallback) {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}

// ---------------------------------------------------------------------------------------------

/**
 * @param {object} opts
 * @param {HTMLElement} opts.parent          where xterm mounts (#terminal)
 * @param {string} opts.url                  terminal WebSocket path (/ws/sessions/<id>/terminal/)
 * @param {string} [opts.username]           to mark your own runs
 * @param {() => Promise<boolean>} [opts.beforeRun]  e.g. wait until the editor's edits are saved
 * @param {(connected: boolean) => void} [opts.onConnection]
 */
export function createTerminal(opts) {
  const parent = opts.parent;
  const username = opts.username || '';

  const term = new Terminal({
    convertEol: true,
    cursorBlink: true,
    fontFamily: cssVar(parent, '--cp-mono', 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace'),
    fontSize: 13,
    lineHeight: 1.2,
    scrollback: 5000,
    allowProposedApi: false,
    theme: {
      background: cssVar(parent, '--cp-term-bg', '#15171c'),
      foreground: cssVar(parent, '--cp-term-fg', '#d7dae0'),
      cursor: cssVar(parent, '--cp-term-cursor', '#61afef'),
      selectionBackground: 'rgba(97, 175, 239, 0.35)',
      black: '#1e2127',
      red: '#e06c75',
      green: '#98c379',
      yellow: '#e5c07b',
      blue: '#61afef',
      magenta: '#c678dd',
      cyan: '#56b6c2',
      white: '#d7dae0',
      brightBlack: '#7f848e',
      brightRed: '#ff7b86',
      brightGreen: '#b5e890',
      brightYellow: '#ffd68a',
      brightBlue: '#7dc4ff',
      brightMagenta: '#de9bf0',
      brightCyan: '#6fd3df',
      brightWhite: '#ffffff',
    },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(parent);
  const refit = () => {
    try {
      if (parent.clientWidth > 0 && parent.clientHeight > 0) fit.fit();
    } catch (e) {
      /* not visible yet */
    }
  };
  refit();
  const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => refit()) : null;
  if (ro) ro.observe(parent);

  // Ctrl-C with a selection copies instead of interrupting; Ctrl-Shift-C always copies.
  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown') return true;
    const copy = (e.ctrlKey || e.metaKey) && (e.key === 'c' || e.key === 'C');
    if (copy && (e.shiftKey || term.hasSelection()) && term.hasSelection()) {
      navigator.clipboard?.writeText(term.getSelection()).catch(() => {});
      return false;
    }
    return true;
  });

  // --- shell state --------------------------------------------------------------------------
  let mode = 'command'; // or 'stdin' while collecting input for `run`
  let buf = []; // input line as an array of code points (strings)
  let cur = 0; // cursor index into buf
  let inputShown = false;
  let cursorRow = 0; // row of the cursor relative to the prompt's first row
  let partial = ''; // printed text after the last newline (visible part), '' = at line start
  let stdinLines = [];
  let history = loadHistory();
  let histIdx = null; // null = editing a new line
  let draft = null;
  let busy = false; // waiting for edits to sync before sending a run

  function prompt() {
    return mode === 'stdin' ? [STDIN_PROMPT, STDIN_PROMPT_WIDTH] : [PROMPT, PROMPT_WIDTH];
  }

  function cols() {
    return Math.max(term.cols, 1);
  }

  /** Erase the prompt + input, leaving the cursor where printed output continues. */
  function hideInput() {
    if (!inputShown) return '';
    let seq = cursorRow > 0 ? `${ESC}[${cursorRow}A` : '';
    seq += `\r${ESC}[J`;
    if (partial !== '') {
      const w = strWidth(stripAnsi(partial));
      const col = w % cols();
      // Go back to the end of the unfinished output line (unless it ended exactly at the edge,
      // where the terminal would have wrapped anyway).
      if (col !== 0) seq += `${ESC}[1A${ESC}[${col + 1}G`;
    }
    inputShown = false;
    cursorRow = 0;
    return seq;
  }

  /** Draw the prompt + input below any unfinished output line and place the cursor. */
  function showInput() {
    if (busy) return '';
    const [p, pw] = prompt();
    let seq = partial !== '' ? '\r\n' : '';
    const text = buf.join('');
    seq += p + text;
    const c = cols();
    const total = pw + strWidth(buf);
    // At an exact multiple of the width the cursor sits in "pending wrap": force the wrap.
    if (total > 0 && total % c === 0) seq += ' \b';
    const endRow = Math.floor(total / c);
    const target = pw + strWidth(buf.slice(0, cur));
    const row = Math.floor(target / c);
    const col = target % c;
    if (endRow > row) seq += `${ESC}[${endRow - row}A`;
    seq += `${ESC}[${col + 1}G`;
    cursorRow = row;
    inputShown = true;
    return seq;
  }

  function redraw() {
    term.write(hideInput() + showInput());
  }

  /** Print text (may be partial lines) above the input line. */
  function print(text) {
    if (!text) return;
    const out = hideInput() + text;
    const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    partial = lastBreak >= 0 ? text.slice(lastBreak + 1) : partial + text;
    if (stripAnsi(partial) === '') partial = '';
    term.write(out + showInput());
  }

  /** Print whole lines, starting on a fresh line. */
  function println(line = '') {
    const lead = partial !== '' ? '\r\n' : '';
    partial = '';
    print(lead + line + A.reset + '\n');
  }

  // --- input handling -----------------------------------------------------------------------
  function insertText(s) {
    const chars = [...s];
    buf.splice(cur, 0, ...chars);
    cur += chars.length;
  }

  function setLine(text) {
    buf = [...text];
    cur = buf.length;
  }

  function historyMove(delta) {
    if (mode !== 'command' || !history.length) return;
    if (histIdx === null) {
      if (delta > 0) return;
      draft = buf.join('');
      histIdx = history.length;
    }
    const next = histIdx + delta;
    if (next < 0) return;
    if (next >= history.length) {
      histIdx = null;
      setLine(draft || '');
      return;
    }
    histIdx = next;
    setLine(history[histIdx]);
  }

  function submitLine() {
    const line = buf.join('');
    // Put the cursor after the input, then leave the line as it is (it becomes scrollback).
    cur = buf.length;
    term.write(hideInput() + showInput() + '\r\n');
    inputShown = false;
    partial = '';
    buf = [];
    cur = 0;
    histIdx = null;
    draft = null;
    if (mode === 'stdin') {
      if (line === '.') finishStdin();
      else stdinLines.push(line);
      redrawIfIdle();
      return;
    }
    runCommandLine(line);
  }

  function redrawIfIdle() {
    if (!inputShown) term.write(showInput());
  }

  function finishStdin() {
    const stdin = stdinLines.length ? stdinLines.join('\n') + '\n' : '';
    stdinLines = [];
    mode = 'command';
    requestRun({ type: 'run', mode: 'run', stdin });
  }

  function interrupt() {
    cur = buf.length;
    term.write(hideInput() + showInput() + `${A.dim}^C${A.reset}\r\n`);
    inputShown = false;
    partial = '';
    buf = [];
    cur = 0;
    histIdx = null;
    if (mode === 'stdin') {
      mode = 'command';
      stdinLines = [];
      println(`${A.dim}run cancelled${A.reset}`);
    }
    redrawIfIdle();
  }

  function handleKey(key) {
    switch (key) {
      case 'enter':
        return submitLine();
      case 'backspace':
        if (cur > 0) {
          buf.splice(cur - 1, 1);
          cur--;
        }
        break;
      case 'delete':
        if (cur < buf.length) buf.splice(cur, 1);
        break;
      case 'left':
        if (cur > 0) cur--;
        break;
      case 'right':
        if (cur < buf.length) cur++;
        break;
      case 'home':
        cur = 0;
        break;
      case 'end':
        cur = buf.length;
        break;
      case 'up':
        historyMove(-1);
        break;
      case 'down':
        historyMove(1);
        break;
      case 'kill-before':
        buf.splice(0, cur);
        cur = 0;
        break;
      case 'kill-after':
        buf.splice(cur);
        break;
      case 'kill-word': {
        let i = cur;
        while (i > 0 && buf[i - 1] === ' ') i--;
        while (i > 0 && buf[i - 1] !== ' ') i--;
        buf.splice(i, cur - i);
        cur = i;
        break;
      }
      case 'word-left':
        while (cur > 0 && buf[cur - 1] === ' ') cur--;
        while (cur > 0 && buf[cur - 1] !== ' ') cur--;
        break;
      case 'word-right':
        while (cur < buf.length && buf[cur] === ' ') cur++;
        while (cur < buf.length && buf[cur] !== ' ') cur++;
        break;
      case 'interrupt':
        return interrupt();
      case 'eof':
        if (mode === 'stdin') {
          if (buf.length) stdinLines.push(buf.join(''));
          cur = buf.length;
          term.write(hideInput() + showInput() + `${A.dim}^D${A.reset}\r\n`);
          inputShown = false;
          partial = '';
          buf = [];
          cur = 0;
          finishStdin();
          redrawIfIdle();
          return;
        }
        if (cur < buf.length) buf.splice(cur, 1);
        break;
      case 'clear-screen':
        return clearScreen();
      default:
        return;
    }
    redraw();
  }

  const CSI_KEYS = {
    D: 'left',
    C: 'right',
    A: 'up',
    B: 'down',
    H: 'home',
    F: 'end',
    '1~': 'home',
    '7~': 'home',
    '4~': 'end',
    '8~': 'end',
    '3~': 'delete',
    '1;5D': 'word-left',
    '1;5C': 'word-right',
    '1;3D': 'word-left',
    '1;3C': 'word-right',
  };
  const CTRL_KEYS = {
    '\x01': 'home', // ctrl-a
    '\x05': 'end', // ctrl-e
    '\x02': 'left', // ctrl-b
    '\x06': 'right', // ctrl-f
    '\x15': 'kill-before', // ctrl-u
    '\x0b': 'kill-after', // ctrl-k
    '\x17': 'kill-word', // ctrl-w
    '\x03': 'interrupt', // ctrl-c
    '\x04': 'eof', // ctrl-d
    '\x0c': 'clear-screen', // ctrl-l
    '\x10': 'up', // ctrl-p
    '\x0e': 'down', // ctrl-n
    '\x7f': 'backspace',
    '\b': 'backspace',
  };

  function onData(data) {
    let text = '';
    const flushText = () => {
      if (text) {
        insertText(text);
        text = '';
        redraw();
      }
    };
    for (let i = 0; i < data.length; ) {
      const ch = data[i];
      if (ch === ESC) {
        flushText();
        // CSI "ESC [ params final" or SS3 "ESC O final"
        if (data[i + 1] === '[' || data[i + 1] === 'O') {
          let j = i + 2;
          while (j < data.length && !/[@-~]/.test(data[j])) j++;
          const body = data.slice(i + 2, j + 1);
          const key = CSI_KEYS[body] || (data[i + 1] === 'O' ? CSI_KEYS[body] : null);
          if (key) handleKey(key);
          i = j + 1;
        } else {
          // Alt+b / Alt+f word movement; ignore other Alt combinations
          if (data[i + 1] === 'b') handleKey('word-left');
          else if (data[i + 1] === 'f') handleKey('word-right');
          i += 2;
        }
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        flushText();
        if (ch === '\n' && data[i - 1] === '\r') {
          i++;
          continue;
        }
        handleKey('enter');
        i++;
        continue;
      }
      if (CTRL_KEYS[ch]) {
        flushText();
        handleKey(CTRL_KEYS[ch]);
        i++;
        continue;
      }
      if (ch === '\t') {
        text += '    ';
        i++;
        continue;
      }
      if (ch < ' ') {
        i++;
        continue;
      }
      text += ch;
      i++;
    }
    flushText();
  }
  term.onData(onData);

  // --- commands -----------------------------------------------------------------------------
  function loadHistory() {
    try {
      const h = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
      return Array.isArray(h) ? h.filter((x) => typeof x === 'string').slice(-HISTORY_MAX) : [];
    } catch (e) {
      return [];
    }
  }

  function remember(line) {
    if (!line.trim()) return;
    if (history[history.length - 1] !== line) history.push(line);
    if (history.length > HISTORY_MAX) history = history.slice(-HISTORY_MAX);
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
    } catch (e) {
      /* private mode */
    }
  }

  function clearScreen() {
    // Home, erase the screen and the scrollback, in the same write stream as everything else.
    const seq = hideInput() + `${ESC}[H${ESC}[2J${ESC}[3J`;
    partial = '';
    term.write(seq + showInput());
  }

  function runCommandLine(line) {
    const trimmed = line.trim();
    remember(trimmed);
    const [cmd, ...restWords] = trimmed.split(/\s+/);
    const rest = trimmed.slice(cmd.length);
    switch (cmd) {
      case '':
        break;
      case 'help':
      case '?': {
        const width = Math.max(...HELP.map(([c]) => c.length));
        println(`${A.bold}Commands${A.reset}`);
        for (const [c, d] of HELP) println(`  ${A.cyan}${c.padEnd(width)}${A.reset}  ${d}`);
        println(
          `${A.dim}Keys: ←/→ Home/End Ctrl-A/E move, Ctrl-U/K/W delete, ↑/↓ history, Ctrl-C cancel.` +
            ` In the editor: Ctrl-Enter runs, Ctrl-Shift-Enter pushes.${A.reset}`,
        );
        break;
      }
      case 'clear':
      case 'cls':
        clearScreen();
        return;
      case 'history':
        history.forEach((h, i) => println(`${A.dim}${String(i + 1).padStart(4)}${A.reset}  ${h}`));
        break;
      case 'push':
      case 'submit':
        if (restWords.length) println(`${A.dim}(push takes no arguments; ignoring "${restWords.join(' ')}")${A.reset}`);
        requestRun({ type: 'run', mode: 'push' });
        break;
      case 'run': {
        const r = rest.trim();
        if (r.startsWith('<<<')) {
          const stdin = parseHereString(r.slice(3));
          if (stdin === null) {
            println(`${A.red}run: unterminated quote${A.reset}`);
            break;
          }
          requestRun({ type: 'run', mode: 'run', stdin });
        } else if (r === '') {
          mode = 'stdin';
          stdinLines = [];
          println(
            `${A.dim}Type the program's input. End with a line containing only ${A.reset}.${A.dim}` +
              ` or press Ctrl-D; Ctrl-C cancels.${A.reset}`,
          );
        } else {
          println(`${A.red}run: unexpected "${r}"${A.reset}. Use ${A.cyan}run${A.reset} or ${A.cyan}run <<< "input"${A.reset}`);
        }
        break;
      }
      default:
        println(`${A.red}${cmd}: command not found${A.reset}. Type ${A.cyan}help${A.reset} for the list.`);
    }
    redrawIfIdle();
  }

  // --- server connection --------------------------------------------------------------------
  const socket = new ReconnectingWebSocket(wsUrl(opts.url), [], {
    maxEnqueuedMessages: 0, // never replay runs queued while offline
    minReconnectionDelay: 500 + Math.random() * 500,
    maxReconnectionDelay: 8000,
    connectionTimeout: 6000,
  });
  let connectedOnce = false;
  let wasOpen = false;
  const msgListeners = new Set();

  socket.addEventListener('open', () => {
    if (connectedOnce) println(`${A.dim}terminal reconnected${A.reset}`);
    connectedOnce = true;
    wasOpen = true;
    opts.onConnection && opts.onConnection(true);
  });
  socket.addEventListener('close', () => {
    if (wasOpen) println(`${A.dim}terminal disconnected, reconnecting…${A.reset}`);
    wasOpen = false;
    opts.onConnection && opts.onConnection(false);
  });
  socket.addEventListener('message', (ev) => {
    if (typeof ev.data !== 'string') return;
    let msg;
    try {
      msg = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    try {
      render(msg);
    } catch (e) {
      console.error('codepusher terminal: cannot render', msg, e);
    }
    for (const fn of msgListeners) fn(msg);
  });

  function isOpen() {
    return socket.readyState === 1;
  }

  async function requestRun(message) {
    if (!isOpen()) {
      println(`${A.red}✘ not connected to the terminal server${A.reset}${A.dim} — try again once it reconnects${A.reset}`);
      return false;
    }
    if (opts.beforeRun) {
      // Hold the prompt back until the server has the code we are about to run.
      busy = true;
      term.write(hideInput());
      const slow = setTimeout(() => println(`${A.dim}waiting for your latest edits to reach the server…${A.reset}`), 400);
      let synced = true;
      try {
        synced = await opts.beforeRun();
      } catch (e) {
        synced = false;
      }
      clearTimeout(slow);
      busy = false;
      if (!synced) println(`${A.yellow}! some edits are not saved yet; running the last saved version${A.reset}`);
      redrawIfIdle();
    }
    if (!isOpen()) {
      println(`${A.red}✘ not connected to the terminal server${A.reset}`);
      return false;
    }
    socket.send(JSON.stringify(message));
    return true;
  }

  // --- rendering server messages ------------------------------------------------------------
  const runs = new Map(); // id → {user, mode, printed (chars of output seen), started, seq}
  const finished = new Set(); // ids of runs shown to their end: a replay of them is skipped
  const FINISHED_MAX = 500;

  function runInfo(id) {
    const key = String(id);
    if (!runs.has(key)) runs.set(key, { user: '', mode: '', printed: 0, started: false, seq: -1 });
    return runs.get(key);
  }

  /** False for an event already shown (same run and seq, or a run shown to its end). */
  function isFresh(msg) {
    if (msg.run === undefined || msg.type === 'backlog') return true;
    if (finished.has(String(msg.run))) return false;
    if (!Number.isInteger(msg.seq)) return true;
    const info = runInfo(msg.run);
    if (msg.seq <= info.seq) return false;
    info.seq = msg.seq;
    return true;
  }

  const colors = opts.colors || {};
  /** 24-bit colour escape for a member's colour (#rgb or #rrggbb), or ''. */
  function colorOf(user) {
    const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(colors[user] || ''));
    if (!m) return '';
    let hex = m[1];
    if (hex.length === 3) hex = [...hex].map((x) => x + x).join('');
    const n = parseInt(hex, 16);
    return `${ESC}[38;2;${n >> 16};${(n >> 8) & 255};${n & 255}m`;
  }

  function who(user) {
    const u = sanitizeOutput(String(user || 'someone'));
    const name = `${colorOf(u)}${u}${A.reset}`;
    return u === username ? `${name} ${A.dim}(you)${A.reset}` : name;
  }

  function modeText(mode) {
    return mode === 'push' ? 'push · all test cases' : 'run · custom input';
  }

  function startHeader(id, info, suffix = info.earlier ? ' (earlier)' : '') {
    info.started = true;
    println(`${A.bold}${A.cyan}▶ ${A.bold}${who(info.user)}${A.bold} ${modeText(info.mode)}${A.reset} ${A.dim}#${id}${suffix}${A.reset}`);
  }

  function printOutput(info, data, stream) {
    const clean = sanitizeOutput(data);
    info.printed += String(data).length;
    if (!clean) return;
    if (stream === 'stderr') print(A.red + clean.replace(/\n/g, `${A.reset}\n${A.red}`) + A.reset);
    else print(clean);
  }

  function render(msg) {
    if (!isFresh(msg)) return;
    switch (msg.type) {
      case 'backlog': {
        const list = Array.isArray(msg.runs) ? msg.runs : [];
        let active = null;
        for (const r of list) {
          if (!r || typeof r !== 'object') continue;
          const id = r.id ?? r.run;
          if (id === undefined) continue;
          const info = runInfo(id);
          info.user = r.user ?? info.user;
          info.mode = r.mode ?? info.mode;
          const status = r.status ?? r.state ?? '';
          if (status === 'running' || status === 'started') active = id;
          else if (status === 'done' && !info.started) info.earlier = true;
          else if (status === 'queued' && !info.started && !info.queuedShown) {
            info.queuedShown = true;
            println(`${A.dim}⋯ ${who(info.user)}${A.dim} queued ${info.mode || 'run'} #${id}${A.reset}`);
          }
        }
        if (active === null && list.length === 1 && typeof msg.output === 'string' && msg.output) {
          active = list[0].id ?? list[0].run;
        }
        if (typeof msg.output === 'string' && msg.output) {
          const info = active !== null ? runInfo(active) : { user: '', mode: '', printed: 0, started: true };
          if (!info.started) startHeader(active, info, ' (in progress)');
          if (msg.output.length > info.printed) {
            const fresh = msg.output.slice(info.printed);
            info.printed = 0;
            printOutput(info, fresh, 'stdout');
            info.printed = msg.output.length;
          }
        }
        break;
      }
      case 'run.queued': {
        const info = runInfo(msg.run);
        info.user = msg.user ?? info.user;
        info.mode = msg.mode ?? info.mode;
        if (info.started) break;
        info.queuedShown = true;
        const pos = Number(msg.position);
        const where = pos > 0 ? `${pos} ahead in the queue` : 'next in the queue';
        println(`${A.dim}⋯ ${who(info.user)}${A.dim} queued ${info.mode || 'run'} #${msg.run} (${where})${A.reset}`);
        break;
      }
      case 'run.started': {
        const info = runInfo(msg.run);
        info.user = msg.user ?? info.user;
        info.mode = msg.mode ?? info.mode;
        if (!info.started) startHeader(msg.run, info);
        break;
      }
      case 'output': {
        const info = runInfo(msg.run);
        if (!info.started) startHeader(msg.run, info);
        printOutput(info, msg.data ?? '', msg.stream);
        break;
      }
      case 'test.result': {
        const v = msg.verdict;
        const ok = v === 'ACCEPTED';
        const mark = ok ? `${A.green}✔` : `${verdictColor(v)}✘`;
        const time = Number.isFinite(msg.time_ms) ? ` ${A.dim}${msg.time_ms} ms${A.reset}` : '';
        const kind = msg.sample ? ` ${A.dim}(sample)${A.reset}` : '';
        println(`  ${mark} test ${msg.position}${A.reset}${kind} ${verdictColor(v)}${verdictText(v)}${A.reset}${time}`);
        if (!ok && msg.detail) println(`      ${A.dim}${sanitizeOutput(msg.detail)}${A.reset}`);
        if (!ok && msg.sample) {
          for (const [label, key] of [['input', 'stdin'], ['expected', 'expected'], ['got', 'actual']]) {
            if (msg[key] === undefined) continue;
            const body = sanitizeOutput(clip(msg[key], SAMPLE_FIELD_MAX));
            println(`      ${A.dim}${label}:${A.reset}`);
            println(indent(body === '' ? `${A.dim}(empty)${A.reset}` : body, `        ${key === 'actual' ? A.yellow : ''}`));
          }
        }
        break;
      }
      case 'run.finished': {
        const info = runInfo(msg.run);
        const v = msg.verdict;
        const total = Number(msg.total);
        const passed = Number(msg.passed);
        const counts = total > 0 ? ` ${passed}/${total} tests passed` : '';
        const detail = msg.detail ? ` ${A.dim}— ${sanitizeOutput(msg.detail)}${A.reset}` : '';
        const by = info.user ? ` ${A.dim}(${sanitizeOutput(info.user)}'s ${info.mode || 'run'} #${msg.run})${A.reset}` : '';
        println(`${A.bold}${verdictColor(v)}■ ${verdictText(v)}${A.reset}${verdictColor(v)}${counts}${A.reset}${detail}${by}`);
        runs.delete(String(msg.run));
        finished.add(String(msg.run));
        if (finished.size > FINISHED_MAX) finished.delete(finished.values().next().value);
        break;
      }
      case 'error':
        println(`${A.red}✘ ${sanitizeOutput(msg.message ?? 'error')}${A.reset}`);
        break;
      default:
        // Unknown message types are ignored so the server can add new ones.
        break;
    }
  }

  // Greeting
  println(`${A.dim}Shared terminal — everyone in the session sees every run. Type ${A.reset}help${A.dim} for commands.${A.reset}`);
  redrawIfIdle();

  return {
    term,
    socket,
    focus: () => term.focus(),
    fit: refit,
    isConnected: isOpen,
    /** Send {type: "run", mode: "push"} or {type: "run", mode: "run", stdin}. */
    run: (mode, stdin = '') =>
      requestRun(mode === 'push' ? { type: 'run', mode: 'push' } : { type: 'run', mode: 'run', stdin: String(stdin) }),
    /** Print a line above the prompt (ANSI allowed). */
    println,
    /** Type a command as if the user did (used by tests and buttons). */
    exec(line) {
      term.write(hideInput());
      inputShown = false;
      setLine(line);
      term.write(showInput());
      submitLine();
    },
    onMessage(fn) {
      msgListeners.add(fn);
      return () => msgListeners.delete(fn);
    },
    destroy() {
      if (ro) ro.disconnect();
      socket.close();
      term.dispose();
    },
  };
}
