const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const m = Number(data[1]);
const pairs = [];
for (let i = 0; i < m; i++) pairs.push([Number(data[2 + 2 * i]), Number(data[3 + 2 * i])]);

// TODO: find the groups of people linked by friendships and print them.
