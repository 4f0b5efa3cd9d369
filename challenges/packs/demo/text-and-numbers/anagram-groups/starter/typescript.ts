const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const words = data.slice(1, 1 + n);

// TODO: group the words that are anagrams of each other, sort each group,
// order the groups (largest first, ties by first word) and print them.
