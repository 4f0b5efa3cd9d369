const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const intervals = [];
for (let i = 0; i < n; i++) intervals.push([Number(data[1 + 2 * i]), Number(data[2 + 2 * i])]);
intervals.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

const merged = [];
for (const [lo, hi] of intervals) {
  const last = merged[merged.length - 1];
  if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
  else merged.push([lo, hi]);
}
const out = [String(merged.length)];
for (const [lo, hi] of merged) out.push(`${lo} ${hi}`);
process.stdout.write(out.join('\n') + '\n');
