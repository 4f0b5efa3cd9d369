const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const values = data.slice(1, 1 + n).map(Number);

// TODO: print the length of the longest strictly increasing subsequence.
// n can be 100 000: O(n^2) is too slow, look for O(n log n).
