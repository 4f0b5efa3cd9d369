const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const q = Number(data[0]);
let limit = 1;
for (let i = 0; i < q; i++) limit = Math.max(limit, Number(data[2 + 2 * i]));

// Sieve of Eratosthenes, then prefix counts: upTo[x] = number of primes <= x.
const composite = new Uint8Array(limit + 1);
const upTo = new Int32Array(limit + 1);
for (let p = 2; p * p <= limit; p++) {
  if (!composite[p]) for (let m = p * p; m <= limit; m += p) composite[m] = 1;
}
for (let x = 2; x <= limit; x++) upTo[x] = upTo[x - 1] + (composite[x] ? 0 : 1);

const out = [];
for (let i = 0; i < q; i++) {
  const lo = Number(data[1 + 2 * i]);
  const hi = Number(data[2 + 2 * i]);
  out.push(upTo[hi] - upTo[lo - 1]);
}
process.stdout.write(out.join('\n') + '\n');
