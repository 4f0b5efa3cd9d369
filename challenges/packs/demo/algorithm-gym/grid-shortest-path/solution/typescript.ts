const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const rows = Number(tokens[0]);
const cols = Number(tokens[1]);
const grid = tokens.slice(2, 2 + rows).join(''); // cell (r, c) is grid[r * cols + c]
const start = grid.indexOf('S');
const goal = grid.indexOf('E');

const distance = new Int32Array(rows * cols).fill(-1);
const queue = new Int32Array(rows * cols);
let head = 0;
let tail = 0;
distance[start] = 0;
queue[tail++] = start;
while (head < tail) {
  const cell = queue[head++];
  if (cell === goal) break;
  const r = Math.floor(cell / cols);
  const c = cell % cols;
  const next = [];
  if (r > 0) next.push(cell - cols);
  if (r + 1 < rows) next.push(cell + cols);
  if (c > 0) next.push(cell - 1);
  if (c + 1 < cols) next.push(cell + 1);
  for (const n of next) {
    if (distance[n] < 0 && grid[n] !== '#') {
      distance[n] = distance[cell] + 1;
      queue[tail++] = n;
    }
  }
}
process.stdout.write(distance[goal] + '\n');
