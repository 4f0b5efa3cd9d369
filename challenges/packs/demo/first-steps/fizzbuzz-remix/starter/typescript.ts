const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const k = Number(data[1]);
const rules = [];
for (let i = 0; i < k; i++) rules.push([Number(data[2 + 2 * i]), data[3 + 2 * i]]);

// TODO: for every i from 1 to n, print the words of the rules whose divisor
// divides i (in input order), or i itself when no rule matches.
