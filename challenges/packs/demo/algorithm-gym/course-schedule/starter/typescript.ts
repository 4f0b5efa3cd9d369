const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const m = Number(data[1]);
const prerequisites = [];
for (let i = 0; i < m; i++) prerequisites.push([Number(data[2 + 2 * i]), Number(data[3 + 2 * i])]);

// TODO: print the smallest valid order of the courses 1..n (each "a b" means a
// before b), or IMPOSSIBLE if the prerequisites form a cycle.
