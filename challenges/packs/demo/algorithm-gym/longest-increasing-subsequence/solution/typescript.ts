const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);

// tails[k] = smallest possible last value of a strictly increasing subsequence of length k+1
const tails = [];
for (let i = 1; i <= n; i++) {
  const x = Number(data[i]);
  let lo = 0;
  let hi = tails.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tails[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  tails[lo] = x;
}
process.stdout.write(tails.length + '\n');
