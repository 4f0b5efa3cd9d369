const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const m = Number(data[1]);
const after = Array.from({ length: n + 1 }, () => []);
const waiting = new Int32Array(n + 1); // number of prerequisites not yet taken
for (let i = 0; i < m; i++) {
  const a = Number(data[2 + 2 * i]);
  const b = Number(data[3 + 2 * i]);
  after[a].push(b);
  waiting[b]++;
}

// A binary min-heap of course numbers.
const heap = [];
function push(x) {
  heap.push(x);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent] <= x) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = x;
}
function pop() {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0) {
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && heap[child + 1] < heap[child]) child++;
      if (heap[child] >= last) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
  }
  return top;
}

// Kahn's algorithm, always taking the smallest available course.
for (let course = 1; course <= n; course++) if (waiting[course] === 0) push(course);
const order = [];
while (heap.length > 0) {
  const course = pop();
  order.push(course);
  for (const next of after[course]) if (--waiting[next] === 0) push(next);
}
process.stdout.write((order.length === n ? order.join(' ') : 'IMPOSSIBLE') + '\n');
