const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const m = Number(data[1]);
const friends = Array.from({ length: n + 1 }, () => []);
for (let i = 0; i < m; i++) {
  const a = Number(data[2 + 2 * i]);
  const b = Number(data[3 + 2 * i]);
  friends[a].push(b);
  friends[b].push(a);
}
// Depth-first search from the highest number down: another order than the expected output's.
const seen = new Array(n + 1).fill(false);
const lines = [];
for (let start = n; start >= 1; start--) {
  if (seen[start]) continue;
  seen[start] = true;
  const group = [];
  const stack = [start];
  while (stack.length) {
    const person = stack.pop();
    group.push(person);
    for (const other of friends[person]) {
      if (!seen[other]) {
        seen[other] = true;
        stack.push(other);
      }
    }
  }
  lines.push(group.join(' '));
}
console.log([String(lines.length), ...lines].join('\n'));
