const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const capacity = Number(data[1]);
const items = []; // [weight, value]
for (let i = 0; i < n; i++) items.push([Number(data[2 + 2 * i]), Number(data[3 + 2 * i])]);

// TODO: find the best total value within the capacity (0/1 knapsack), then the
// lexicographically smallest list of item indices (1-based) that achieves it.
// Print the value, then the count followed by the indices.
