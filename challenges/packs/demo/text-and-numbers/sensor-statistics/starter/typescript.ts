const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const n = Number(data[0]);
const values = data.slice(1, 1 + n).map(Number);

// TODO: compute the mean, the population standard deviation and the median,
// and print each on its own line (for example with value.toFixed(9)).
