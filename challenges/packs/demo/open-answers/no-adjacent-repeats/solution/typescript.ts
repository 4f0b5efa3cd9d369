const word = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0)[0];
const counts = new Map();
for (const c of word) counts.set(c, (counts.get(c) || 0) + 1);
// Greedy: always place the most frequent letter that differs from the previous one.
const heap = [...counts.entries()];
const out = [];
let previous = '';
for (let i = 0; i < word.length; i++) {
  let best = -1;
  for (let j = 0; j < heap.length; j++) {
    if (heap[j][1] > 0 && heap[j][0] !== previous && (best < 0 || heap[j][1] > heap[best][1])) best = j;
  }
  if (best < 0) break;
  out.push(heap[best][0]);
  heap[best][1]--;
  previous = heap[best][0];
}
console.log(out.length === word.length ? out.join('') : 'IMPOSSIBLE');
