const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const intervals = [];
for (let i = 0; i < n; i++) intervals.push([Number(data[1 + 2 * i]), Number(data[2 + 2 * i])]);

// TODO: merge the intervals that overlap or touch, then print how many are left
// and each of them, from left to right.
