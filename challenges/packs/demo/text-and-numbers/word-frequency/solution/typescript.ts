const input = require('fs').readFileSync(0, 'utf8');
const newline = input.indexOf('\n');
const k = Number(input.slice(0, newline));
const text = input.slice(newline + 1);

const counts = new Map();
for (const word of text.match(/[A-Za-z]+/g) || []) {
  const w = word.toLowerCase();
  counts.set(w, (counts.get(w) || 0) + 1);
}
const ranked = [...counts.entries()].sort((a, b) =>
  b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
);
process.stdout.write(ranked.slice(0, k).map(([w, c]) => `${w} ${c}\n`).join(''));
