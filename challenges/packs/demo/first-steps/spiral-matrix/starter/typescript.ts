const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const rows = Number(data[0]);
const cols = Number(data[1]);
const grid = [];
for (let r = 0; r < rows; r++) {
  grid.push(data.slice(2 + r * cols, 2 + (r + 1) * cols).map(Number));
}

// TODO: walk the grid clockwise from the top-left corner, layer by layer,
// and print the values on one line separated by spaces.
