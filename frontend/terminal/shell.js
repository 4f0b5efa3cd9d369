// The terminal's line editor: a prompt and an input line that program output never corrupts.
// Output printed while someone types erases the prompt and the input, prints, and redraws them
// below. Also the command history (kept in localStorage) and the stdin mode of `run`.

import { A, ESC, stripAnsi, strWidth, wrapWords } from './ansi.js';
import { decodeInput } from './keys.js';

const PROMPT = `${A.green}$${A.reset} `;
const PROMPT_WIDTH = 2;
const STDIN_PROMPT = `${A.gray}>${A.reset} `;
const STDIN_PROMPT_WIDTH = 2;
const HISTORY_KEY = 'codepusher.terminal.history';
const HISTORY_MAX = 200;
// What was printed, kept to rewrite the terminal with older lines above it (prepend): about the
// scrollback's worth; the oldest chunks go first.
const TRANSCRIPT_MAX = 1_000_000;
const WIPE = `${ESC}[0m${ESC}[H${ESC}[2J${ESC}[3J`; // home, erase the screen and the scrollback

function loadHistory() {
  try {
    const h = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
    return Array.isArray(h) ? h.filter((x) => typeof x === 'string').slice(-HISTORY_MAX) : [];
  } catch {
    return [];
  }
}

/**
 * @param {import('@xterm/xterm').Terminal} term
 * @param {object} handlers
 * @param {(line: string) => void} handlers.onCommand  a command line was entered (trimmed)
 * @param {(stdin: string) => void} handlers.onStdin    the input typed for `run` is complete
 */
export function createShell(term, { onCommand, onStdin }) {
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
  let live = null; // {line, eof, interrupt} while an interactive run takes what is typed
  let transcript = []; // every chunk printed above the input line, in order
  let transcriptChars = 0;

  function keep(text) {
    transcript.push(text);
    transcriptChars += text.length;
    while (transcriptChars > TRANSCRIPT_MAX && transcript.length > 1) transcriptChars -= transcript.shift().length;
  }

  function prompt() {
    return mode === 'stdin' || live ? [STDIN_PROMPT, STDIN_PROMPT_WIDTH] : [PROMPT, PROMPT_WIDTH];
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
    seq += p + buf.join('');
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

  function redrawIfIdle() {
    if (!inputShown) term.write(showInput());
  }

  /** Print text (may be partial lines) above the input line. */
  function print(text) {
    if (!text) return;
    const out = hideInput() + text;
    keep(text);
    const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    partial = lastBreak >= 0 ? text.slice(lastBreak + 1) : partial + text;
    if (stripAnsi(partial) === '') partial = '';
    term.write(out + showInput());
  }

  /**
   * Print whole lines, starting on a fresh line. With `wrap` (our own messages, e.g. verdicts),
   * long lines break between words; program text is never re-wrapped.
   */
  function println(line = '', wrap = false) {
    const lead = partial !== '' ? '\r\n' : '';
    partial = '';
    const text = wrap ? String(line).split('\n').map((l) => wrapWords(l, cols())).join('\n') : line;
    print(lead + text + A.reset + '\n');
  }

  function setLine(text) {
    buf = [...text];
    cur = buf.length;
  }

  /** Leave the typed line in the scrollback (with `suffix`) and start an empty one. */
  function commitLine(suffix = '') {
    cur = buf.length;
    const hide = hideInput();
    const [p] = prompt();
    keep(`${partial !== '' ? '\r\n' : ''}${p}${buf.join('')}${suffix}\r\n`);
    term.write(hide + showInput() + suffix + '\r\n');
    inputShown = false;
    partial = '';
    buf = [];
    cur = 0;
    histIdx = null;
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

  function remember(line) {
    if (!line.trim()) return;
    if (history[history.length - 1] !== line) history.push(line);
    if (history.length > HISTORY_MAX) history = history.slice(-HISTORY_MAX);
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
    } catch {
      /* private mode */
    }
  }

  function finishStdin() {
    const stdin = stdinLines.length ? stdinLines.join('\n') + '\n' : '';
    stdinLines = [];
    mode = 'command';
    onStdin(stdin);
  }

  function submitLine() {
    const line = buf.join('');
    if (live) return takeLive(() => live.line(line)); // the server echoes it to everyone
    commitLine();
    draft = null;
    if (mode === 'stdin') {
      if (line === '.') finishStdin();
      else stdinLines.push(line);
      redrawIfIdle();
      return;
    }
    const trimmed = line.trim();
    remember(trimmed);
    onCommand(trimmed);
    redrawIfIdle();
  }

  /** Clear the typed line without leaving it in the scrollback, then hand it on. */
  function takeLive(handOn) {
    term.write(hideInput());
    setLine('');
    handOn();
    redrawIfIdle();
  }

  function interrupt() {
    if (live) return takeLive(() => live.interrupt());
    commitLine(`${A.dim}^C${A.reset}`);
    if (mode === 'stdin') {
      mode = 'command';
      stdinLines = [];
      println(`${A.dim}run cancelled${A.reset}`);
    }
    redrawIfIdle();
  }

  function endOfInput() {
    if (buf.length) stdinLines.push(buf.join(''));
    commitLine(`${A.dim}^D${A.reset}`);
    finishStdin();
    redrawIfIdle();
  }

  function clearScreen() {
    // Home, erase the screen and the scrollback, in the same write stream as everything else.
    const seq = hideInput() + WIPE;
    partial = '';
    transcript = [];
    transcriptChars = 0;
    term.write(seq + showInput());
  }

  /**
   * Put whole lines above everything printed (older history): the terminal is rewritten in the
   * same write stream, then scrolled so the lines that were in view stay in view.
   * Resolves once drawn.
   */
  function prepend(lines) {
    if (!lines.length) return Promise.resolve();
    const text = lines.map((l) => String(l).split('\n').map((x) => wrapWords(x, cols())).join('\n') + A.reset + '\n').join('');
    transcript.unshift(text);
    transcriptChars += text.length;
    const b = term.buffer.active;
    const top = b.viewportY;
    const end = b.baseY + b.cursorY;
    const shown = inputShown;
    inputShown = false;
    cursorRow = 0;
    return new Promise((resolve) => {
      term.write(WIPE + transcript.join('') + (shown ? showInput() : ''), () => {
        const after = term.buffer.active;
        const line = Math.max(0, top + after.baseY + after.cursorY - end);
        // The view's own scroll sync follows a few frames later (the wipe shrank it) and would
        // put it back at the top: hold the line until it stays for two frames.
        let steady = 0;
        let frames = 0;
        const hold = () => {
          steady = term.buffer.active.viewportY === line ? steady + 1 : 0;
          if (!steady) term.scrollToLine(line);
          if (steady >= 2 || ++frames > 30) resolve();
          else requestAnimationFrame(hold);
        };
        hold();
      });
    });
  }

  function wordStart(i) {
    while (i > 0 && buf[i - 1] === ' ') i--;
    while (i > 0 && buf[i - 1] !== ' ') i--;
    return i;
  }

  function handleKey(key) {
    switch (key) {
      case 'enter':
        return submitLine();
      case 'interrupt':
        return interrupt();
      case 'clear-screen':
        return clearScreen();
      case 'eof':
        if (live) {
          const rest = buf.join(''); // like a terminal: Ctrl-D sends what is typed, then EOF
          return takeLive(() => live.eof(rest));
        }
        if (mode === 'stdin') return endOfInput();
        if (cur < buf.length) buf.splice(cur, 1);
        break;
      case 'backspace':
        if (cur > 0) buf.splice(--cur, 1);
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
        const i = wordStart(cur);
        buf.splice(i, cur - i);
        cur = i;
        break;
      }
      case 'word-left':
        cur = wordStart(cur);
        break;
      case 'word-right':
        while (cur < buf.length && buf[cur] === ' ') cur++;
        while (cur < buf.length && buf[cur] !== ' ') cur++;
        break;
      default:
        return;
    }
    redraw();
  }

  term.onData((data) =>
    decodeInput(
      data,
      (text) => {
        const chars = [...text];
        buf.splice(cur, 0, ...chars);
        cur += chars.length;
        redraw();
      },
      handleKey,
    ),
  );

  return {
    print,
    println,
    clearScreen,
    prepend,
    redrawIfIdle,
    history: () => history.slice(),
    /** Collect the program's input line by line (the `run` command without input). */
    startStdin() {
      mode = 'stdin';
      stdinLines = [];
    },
    /** Enter, Ctrl-D and Ctrl-C go to an interactive run while `handlers` is set (null: back). */
    setLive(handlers) {
      term.write(hideInput());
      live = handlers;
      redrawIfIdle();
    },
    /** While busy the prompt stays hidden (a run waits for the editor's edits to sync). */
    setBusy(on) {
      busy = on;
      if (on) term.write(hideInput());
      else redrawIfIdle();
    },
    /** Type a command as if the user did (used by tests and buttons). */
    exec(line) {
      term.write(hideInput());
      setLine(line);
      term.write(showInput());
      submitLine();
    },
  };
}
