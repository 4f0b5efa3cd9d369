const [a, b] = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);

// previous[j] = distance between the prefix of a seen so far (minus one) and b[:j]
let previous = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
let current = new Int32Array(b.length + 1);
for (let i = 1; i <= a.length; i++) {
  current[0] = i;
  for (let j = 1; j <= b.length; j++) {
    const diagonal = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
    current[j] = Math.min(diagonal, previous[j] + 1, current[j - 1] + 1);
  }
  [previous, current] = [current, previous];
}
process.stdout.write(previous[b.length] + '\n');
