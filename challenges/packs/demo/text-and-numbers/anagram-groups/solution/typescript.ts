const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

const groups = new Map();
for (let i = 1; i <= n; i++) {
  const word = data[i];
  const key = word.split('').sort().join('');
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(word);
}
const ordered = [...groups.values()].map((words) => words.sort(cmp));
ordered.sort((a, b) => b.length - a.length || cmp(a[0], b[0]));
const out = [String(ordered.length)];
for (const words of ordered) out.push(words.join(' '));
process.stdout.write(out.join('\n') + '\n');
