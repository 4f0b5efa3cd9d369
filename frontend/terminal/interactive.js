// Interactive runs in the shared terminal: while one runs, the lines anyone types go to the
// program ({type: "stdin", data}), Ctrl-D ends its input ({type: "stdin", eof: true}) and
// Ctrl-C or Stop kills it ({type: "kill"}). The server echoes every member's input as an
// `input` event in order with the output, so this module shows input only from those events.

import { A, sanitizeOutput } from './ansi.js';

/**
 * @param {object} opts
 * @param {(message: object) => boolean} opts.send   sends one frame to the terminal socket
 * @param {(line: string) => void} opts.println
 * @param {(text: string) => void} opts.print         output without a newline
 * @param {(live: object|null) => void} opts.setLive  hands the shell's Enter/Ctrl-D/Ctrl-C to us
 */
export function createInteractive({ send, println, print, setLive }) {
  let liveRun = null; // id of the interactive run taking input, if any
  const interactive = new Set(); // runs announced as interactive, until they finish

  const handlers = {
    line: (text) => send({ type: 'stdin', data: `${text}\n` }),
    eof: (text) => {
      if (text) send({ type: 'stdin', data: text });
      send({ type: 'stdin', eof: true });
    },
    interrupt: () => send({ type: 'kill' }),
  };

  function setRunning(run) {
    liveRun = run;
    setLive(run === null ? null : handlers);
  }

  /** Feed every server event; returns true when it was an interactive one it showed. */
  function handle(msg) {
    const run = msg.run;
    switch (msg.type) {
      case 'run.queued':
      case 'run.started':
        if (msg.mode === 'interactive') interactive.add(run);
        return false;
      case 'interactive.ready':
        interactive.add(run);
        setRunning(run);
        println(`${A.dim}interactive: type input for the program · Ctrl-D ends input · Ctrl-C stops it${A.reset}`);
        return true;
      case 'input': {
        const who = `${A.cyan}${sanitizeOutput(msg.user || '?')}›${A.reset} `;
        if (msg.data) print(`${who}${A.bold}${sanitizeOutput(msg.data)}${A.reset}`);
        if (msg.eof) println(`${who}${A.dim}^D (end of input)${A.reset}`);
        return true;
      }
      case 'run.finished':
        interactive.delete(run);
        if (run === liveRun) setRunning(null);
        return false;
      case 'backlog':
        if (liveRun !== null) setRunning(null);
        return false;
      default:
        return false;
    }
  }

  return {
    handle,
    /** Whether an interactive run takes input now. */
    running: () => liveRun !== null,
  };
}

/**
 * The toolbar's Interactive button: starts an interactive run, and while one runs it is Stop.
 * @param {HTMLButtonElement} button
 * @param {ReturnType<import('./index.js').createTerminal>} terminal
 */
export function mountInteractiveButton(button, terminal) {
  const show = () => {
    const running = terminal.interactiveRunning();
    button.textContent = running ? '■ Stop' : '⌨ Interactive';
    button.title = running ? 'Stop the program (Ctrl-C in the terminal)' : 'Run and type its input live, with everyone';
    button.setAttribute('aria-pressed', String(running));
  };
  button.addEventListener('click', () => {
    if (terminal.interactiveRunning()) terminal.stop();
    else terminal.interactive();
    terminal.focus();
  });
  terminal.onMessage(show);
  show();
}
