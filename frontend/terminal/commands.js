// The terminal's commands: help, push, run (typed, or `run <<< "input"`), interactive, history,
// clear.

import { A } from './ansi.js';

const HELP = [
  ['submit', 'judge your code against every test case of the challenge (also: push)'],
  ['run', 'run your code with input you type (end with a line "." or Ctrl-D)'],
  ['run <<< "1 2\\n3"', 'run with inline input (\\n, \\t escapes)'],
  ['interactive', 'run your code and type its input live, with everyone (Ctrl-D ends input, Ctrl-C stops)'],
  ['history', 'list the commands you typed'],
  ['clear', 'clear the terminal (Ctrl-L)'],
  ['help', 'this list'],
];

/** Parse `run <<< "…"` input: quoted or bare, with \n \t \\ \" \' escapes; adds a final newline. */
export function parseHereString(rest) {
  const s = rest.trim();
  let body = s;
  if (s.startsWith('"') || s.startsWith("'")) {
    const q = s[0];
    let out = '';
    let closed = false;
    for (let i = 1; i < s.length; i++) {
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
  }
  body = body.replace(/\\(.)/g, (_m, c) => ({ n: '\n', t: '\t', r: '\r', '0': '\0' })[c] ?? c);
  return body.endsWith('\n') ? body : body + '\n';
}

/**
 * Run one command line typed in the shell.
 * @param {string} line  trimmed
 * @param {ReturnType<import('./shell.js').createShell>} shell
 * @param {(message: object) => void} requestRun  sends {type: "run", mode, stdin?}
 */
export function runCommand(line, shell, requestRun) {
  const { println } = shell;
  const [cmd, ...restWords] = line.split(/\s+/);
  const rest = line.slice(cmd.length).trim();
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
          ` In the editor: Ctrl-Enter runs, Ctrl-Shift-Enter submits.${A.reset}`,
      );
      break;
    }
    case 'clear':
    case 'cls':
      shell.clearScreen();
      break;
    case 'history':
      shell.history().forEach((h, i) => println(`${A.dim}${String(i + 1).padStart(4)}${A.reset}  ${h}`));
      break;
    case 'push':
    case 'submit':
      if (restWords.length) println(`${A.dim}(${cmd} takes no arguments; ignoring "${restWords.join(' ')}")${A.reset}`);
      requestRun({ type: 'run', mode: 'push' });
      break;
    case 'interactive':
      requestRun({ type: 'run', mode: 'interactive' });
      break;
    case 'run':
      if (rest.startsWith('<<<')) {
        const stdin = parseHereString(rest.slice(3));
        if (stdin === null) println(`${A.red}run: unterminated quote${A.reset}`);
        else requestRun({ type: 'run', mode: 'run', stdin });
      } else if (rest === '') {
        shell.startStdin();
        println(
          `${A.dim}Type the program's input. End with a line containing only ${A.reset}.${A.dim}` +
            ` or press Ctrl-D; Ctrl-C cancels.${A.reset}`,
        );
      } else {
        println(`${A.red}run: unexpected "${rest}"${A.reset}. Use ${A.cyan}run${A.reset} or ${A.cyan}run <<< "input"${A.reset}`);
      }
      break;
    default:
      println(`${A.red}${cmd}: command not found${A.reset}. Type ${A.cyan}help${A.reset} for the list.`);
  }
}
