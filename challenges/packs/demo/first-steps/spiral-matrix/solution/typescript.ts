const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const rows = Number(data[0]);
const cols = Number(data[1]);
const at = (r, c) => data[2 + r * cols + c];

const order = [];
let top = 0;
let bottom = rows - 1;
let left = 0;
let right = cols - 1;
while (top <= bottom && left <= right) {
  for (let c = left; c <= right; c++) order.push(at(top, c));
  for (let r = top + 1; r <= bottom; r++) order.push(at(r, right));
  if (top < bottom && left < right) {
    for (let c = right - 1; c >= left; c--) order.push(at(bottom, c));
    for (let r = bottom - 1; r > top; r--) order.push(at(r, left));
  }
  top++;
  bottom--;
  left++;
  right--;
}
process.stdout.write(order.join(' ') + '\n');
