const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const target = Number(data[1]);
const values = data.slice(2, 2 + n).map(Number);

// TODO: count the pairs i < j with values[i] + values[j] === target.
// n can be 200 000: an O(n^2) double loop is too slow.
