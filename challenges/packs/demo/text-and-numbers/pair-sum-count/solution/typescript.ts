const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const target = Number(data[1]);

// Every value and every sum stays far below 2^53, so plain numbers are exact.
const seen = new Map();
let pairs = 0;
for (let i = 0; i < n; i++) {
  const x = Number(data[2 + i]);
  pairs += seen.get(target - x) || 0;
  seen.set(x, (seen.get(x) || 0) + 1);
}
process.stdout.write(pairs + '\n');
