// Terminal text: ANSI colours, display widths, and the cleaning of untrusted program output.
// Pure functions, no DOM.

export const ESC = '\x1b';
export const A = {
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

/** Cells taken by a string or an array of code points. */
export function strWidth(chars) {
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
    // eslint-disable-next-line no-control-regex -- keeps only SGR colour escapes, which start with ESC
    .replace(ANY_ESCAPE_RE, (m) => (/^\x1b\[[0-9;]*m$/.test(m) ? m : ''))
    .replace(CONTROL_RE, '');
}

export function stripAnsi(s) {
  return s.replace(SGR_RE, '');
}

/** At most `max` characters, with a dim note of how many were cut. */
export function clip(text, max) {
  const s = String(text ?? '');
  return s.length > max ? s.slice(0, max) + `\n${A.dim}… (${s.length - max} more characters)${A.reset}` : s;
}

export function indent(text, pad) {
  return String(text)
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/** 24-bit colour escape for a #rgb or #rrggbb colour, or '' for anything else. */
export function colorEscape(color) {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(color || ''));
  if (!m) return '';
  let hex = m[1];
  if (hex.length === 3) hex = [...hex].map((x) => x + x).join('');
  const n = parseInt(hex, 16);
  return `${ESC}[38;2;${n >> 16};${(n >> 8) & 255};${n & 255}m`;
}

// eslint-disable-next-line no-control-regex
const TOKEN_RE = /(\x1b\[[0-9;]*m)|( +)|([^ \x1b]+)/g;

/**
 * Break a line at spaces so no word is cut at the terminal's edge (a word longer than the line
 * is cut, as it must be). Colours (SGR) pass through and take no width.
 */
export function wrapWords(line, cols) {
  if (cols < 8 || strWidth(stripAnsi(line)) <= cols) return line;
  let out = '';
  let col = 0;
  for (const [, sgr, spaces, word] of line.matchAll(TOKEN_RE)) {
    if (sgr) out += sgr;
    else if (spaces) {
      if (col > 0 && col + spaces.length < cols) {
        out += spaces;
        col += spaces.length;
      } else if (col > 0) {
        out += '\r\n';
        col = 0;
      }
    } else {
      const w = strWidth(word);
      if (col > 0 && col + w > cols) {
        out = out.replace(/ +$/, '') + '\r\n';
        col = 0;
      }
      out += word;
      col = (col + w) % cols;
    }
  }
  return out;
}
