const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const k = Number(data[1]);
const rules = [];
for (let i = 0; i < k; i++) rules.push([Number(data[2 + 2 * i]), data[3 + 2 * i]]);
const out = [];
for (let i = 1; i <= n; i++) {
  let word = '';
  for (const [d, w] of rules) if (i % d === 0) word += w;
  out.push(word || String(i));
}
process.stdout.write(out.join('\n') + '\n');
