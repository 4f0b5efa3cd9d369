const lines = require('fs').readFileSync(0, 'utf8').split('\n');

function encode(text) {
  const parts = [];
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && text[j] === text[i]) j++;
    parts.push((j - i > 1 ? String(j - i) : '') + text[i]);
    i = j;
  }
  return parts.join('');
}

function decode(code) {
  const parts = [];
  for (const [, count, letter] of code.matchAll(/(\d*)([a-z])/g)) {
    parts.push(letter.repeat(count === '' ? 1 : Number(count)));
  }
  return parts.join('');
}

const t = Number(lines[0]);
const out = [];
for (let i = 1; i <= t; i++) {
  const [mode, payload] = lines[i].trim().split(/\s+/);
  out.push(mode === 'E' ? encode(payload) : decode(payload));
}
process.stdout.write(out.join('\n') + '\n');
