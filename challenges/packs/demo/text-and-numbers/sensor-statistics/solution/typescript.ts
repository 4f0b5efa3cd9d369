const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const values = Float64Array.from(data.slice(1, 1 + n), Number).sort();

let sum = 0;
for (const x of values) sum += x;
const mean = sum / n;
let squares = 0;
for (const x of values) squares += (x - mean) * (x - mean);
const deviation = Math.sqrt(squares / n);
const middle = Math.floor(n / 2);
const median = n % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;

process.stdout.write([mean, deviation, median].map((x) => x.toFixed(9)).join('\n') + '\n');
