// Shared terminal: xterm.js + a small line-editing shell on /ws/sessions/<id>/terminal/.
//
// Every member sees every run: the server broadcasts run.queued / run.started / output /
// test.result / run.finished to the whole session, and sends a backlog on connect so late
// joiners (and reloads) see what the latest run printed so far, or how it ended, and the few runs
// before it; older ones load page by page as you scroll up (older.js).
// Modules: ansi.js (text), keys.js + shell.js (the input line), commands.js, render.js (events).
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';

import { jsonSocket } from '../lib/socket.js';
import { A } from './ansi.js';
import { runCommand } from './commands.js';
import { createInteractive } from './interactive.js';
import { createOlderRuns } from './older.js';
import { createRunRenderer } from './render.js';
import { createShell } from './shell.js';

export { sanitizeOutput } from './ansi.js';
export { parseHereString } from './commands.js';

function cssVar(el, name, fallback) {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}

function openXterm(parent) {
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
    } catch {
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
    if (copy && term.hasSelection()) {
      navigator.clipboard?.writeText(term.getSelection()).catch(() => {});
      return false;
    }
    return true;
  });
  return { term, refit, stopObserving: () => ro && ro.disconnect() };
}

/**
 * @param {object} opts
 * @param {HTMLElement} opts.parent          where xterm mounts (#terminal)
 * @param {string} opts.url                  terminal WebSocket path (/ws/sessions/<id>/terminal/)
 * @param {string} [opts.runsUrl]            the session's run list (older runs as you scroll up)
 * @param {string} [opts.username]           to mark your own runs
 * @param {Object<string, string>} [opts.colors]  member → colour of their run headers
 * @param {() => Promise<boolean>} [opts.beforeRun]  e.g. wait until the editor's edits are saved
 * @param {(connected: boolean) => void} [opts.onConnection]
 * @param {(msg: object) => void} [opts.onMessage]  every server event, after it is shown
 */
export function createTerminal(opts) {
  const { term, refit, stopObserving } = openXterm(opts.parent);
  const shell = createShell(term, {
    onCommand: (line) => runCommand(line, shell, requestRun),
    onStdin: (stdin) => requestRun({ type: 'run', mode: 'run', stdin }),
  });
  const { println } = shell;
  const render = createRunRenderer(shell, opts.username || '', opts.colors || {});
  const older = opts.runsUrl
    ? createOlderRuns({ term, parent: opts.parent, shell, summaryLine: render.summaryLine, runsUrl: opts.runsUrl })
    : null;

  const interactive = createInteractive({
    send: (message) => connection.send(message),
    println,
    print: shell.print,
    setLive: shell.setLive,
  });

  // --- server connection --------------------------------------------------------------------
  let connectedOnce = false;
  let wasOpen = false;
  const msgListeners = new Set(opts.onMessage ? [opts.onMessage] : []);
  const connection = jsonSocket(opts.url, {
    reconnectionDelayGrowFactor: 1.3,
    onOpen() {
      if (connectedOnce) println(`${A.dim}terminal reconnected${A.reset}`);
      connectedOnce = true;
      wasOpen = true;
      if (opts.onConnection) opts.onConnection(true);
    },
    onClose() {
      if (wasOpen) println(`${A.dim}terminal disconnected, reconnecting…${A.reset}`);
      wasOpen = false;
      if (opts.onConnection) opts.onConnection(false);
    },
    onMessage(msg) {
      try {
        if (older && msg.type === 'backlog') older.noteBacklog(msg);
        if (!interactive.handle(msg)) render(msg);
      } catch (e) {
        console.error('codepusher terminal: cannot render', msg, e);
      }
      for (const fn of msgListeners) fn(msg);
    },
  });
  const socket = connection.raw;

  const isOpen = connection.isOpen;

  async function requestRun(message) {
    if (!isOpen()) {
      println(`${A.red}✘ not connected to the terminal server${A.reset}${A.dim} — try again once it reconnects${A.reset}`);
      return false;
    }
    if (opts.beforeRun) {
      // Hold the prompt back until the server has the code we are about to run.
      shell.setBusy(true);
      const slow = setTimeout(() => println(`${A.dim}waiting for your latest edits to reach the server…${A.reset}`), 400);
      let synced = true;
      try {
        synced = await opts.beforeRun();
      } catch {
        synced = false;
      }
      clearTimeout(slow);
      if (!synced) println(`${A.yellow}! some edits are not saved yet; running the last saved version${A.reset}`);
      shell.setBusy(false);
    }
    if (!isOpen()) {
      println(`${A.red}✘ not connected to the terminal server${A.reset}`);
      return false;
    }
    return connection.send(message);
  }

  println(`${A.dim}Shared terminal — everyone in the session sees every run. Type ${A.reset}help${A.dim} for commands.${A.reset}`);
  shell.redrawIfIdle();

  return {
    term,
    socket,
    focus: () => term.focus(),
    fit: refit,
    isConnected: isOpen,
    /** Send {type: "run", mode: "push"} or {type: "run", mode: "run", stdin}. */
    run: (mode, stdin = '') =>
      requestRun(mode === 'push' ? { type: 'run', mode: 'push' } : { type: 'run', mode: 'run', stdin: String(stdin) }),
    /** Start the session's code with input typed live ({type: "run", mode: "interactive"}). */
    interactive: () => requestRun({ type: 'run', mode: 'interactive' }),
    /** Whether an interactive run takes what is typed now. */
    interactiveRunning: () => interactive.running(),
    /** Kill the interactive run ({type: "kill"}). */
    stop: () => connection.send({ type: 'kill' }),
    /** Print a line above the prompt (ANSI allowed). */
    println,
    exec: shell.exec,
    onMessage(fn) {
      msgListeners.add(fn);
      return () => msgListeners.delete(fn);
    },
    destroy() {
      stopObserving();
      socket.close();
      term.dispose();
    },
  };
}
