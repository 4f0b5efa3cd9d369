const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const capacity = Number(data[1]);
const weights = [];
const values = [];
for (let i = 0; i < n; i++) {
  weights.push(Number(data[2 + 2 * i]));
  values.push(Number(data[3 + 2 * i]));
}

// best[i * width + c] = the best value using items i..n-1 within capacity c.
const width = capacity + 1;
const best = new Float64Array((n + 1) * width);
for (let i = n - 1; i >= 0; i--) {
  const row = i * width;
  const after = (i + 1) * width;
  for (let c = 0; c <= capacity; c++) {
    let b = best[after + c];
    if (weights[i] <= c) b = Math.max(b, best[after + c - weights[i]] + values[i]);
    best[row + c] = b;
  }
}

// Going forward, take every item that an optimal choice can take: with positive values
// this gives the lexicographically smallest list of indices.
const chosen = [];
let c = capacity;
for (let i = 0; i < n; i++) {
  if (weights[i] <= c && best[(i + 1) * width + c - weights[i]] + values[i] === best[i * width + c]) {
    chosen.push(i + 1);
    c -= weights[i];
  }
}
process.stdout.write(`${best[capacity]}\n${[chosen.length, ...chosen].join(' ')}\n`);
