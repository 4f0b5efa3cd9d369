const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);

function toRoman(n) {
  // TODO: 1994 -> "MCMXCIV"
  return '';
}

function fromRoman(s) {
  // TODO: "MCMXCIV" -> 1994
  return 0;
}

const t = Number(tokens[0]);
for (let i = 1; i <= t; i++) {
  const token = tokens[i];
  // TODO: convert each token to the other notation and print it
}
