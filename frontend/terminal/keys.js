// Keyboard input of the terminal: xterm's data (text, control characters, escape sequences)
// decoded into text to insert and named editing keys.

import { ESC } from './ansi.js';

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

/** Calls onText(text) for runs of typed text and onKey(name) for each editing key, in order. */
export function decodeInput(data, onText, onKey) {
  let text = '';
  const flushText = () => {
    if (text) {
      onText(text);
      text = '';
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
        const key = CSI_KEYS[data.slice(i + 2, j + 1)];
        if (key) onKey(key);
        i = j + 1;
      } else {
        // Alt+b / Alt+f word movement; ignore other Alt combinations
        if (data[i + 1] === 'b') onKey('word-left');
        else if (data[i + 1] === 'f') onKey('word-right');
        i += 2;
      }
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      flushText();
      if (!(ch === '\n' && data[i - 1] === '\r')) onKey('enter');
      i++;
      continue;
    }
    if (CTRL_KEYS[ch]) {
      flushText();
      onKey(CTRL_KEYS[ch]);
    } else if (ch === '\t') {
      text += '    ';
    } else if (ch >= ' ') {
      text += ch;
    }
    i++;
  }
  flushText();
}
