const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const q = Number(data[0]);
const queries = [];
for (let i = 0; i < q; i++) queries.push([Number(data[1 + 2 * i]), Number(data[2 + 2 * i])]);

// TODO: sieve the primes up to the largest R once, then answer every query
// "how many primes in [L, R]?" quickly (think prefix counts).
