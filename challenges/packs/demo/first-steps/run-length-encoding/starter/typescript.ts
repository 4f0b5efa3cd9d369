const lines = require('fs').readFileSync(0, 'utf8').split('\n');

function encode(text) {
  // TODO: "aaabccdddd" -> "3ab2c4d"
  return '';
}

function decode(code) {
  // TODO: "3ab2c4d" -> "aaabccdddd"
  return '';
}

const t = Number(lines[0]);
for (let i = 1; i <= t; i++) {
  const [mode, payload] = lines[i].trim().split(/\s+/);
  // TODO: print encode(payload) or decode(payload) depending on mode
}
