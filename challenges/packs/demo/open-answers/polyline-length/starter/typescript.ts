const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const points = [];
for (let i = 0; i < n; i++) points.push([Number(data[1 + 2 * i]), Number(data[2 + 2 * i])]);

// TODO: add up the lengths of the segments between consecutive points and print it.
