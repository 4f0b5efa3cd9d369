const input = require('fs').readFileSync(0, 'utf8');
const newline = input.indexOf('\n');
const k = Number(input.slice(0, newline));
const text = input.slice(newline + 1);

// TODO: split text into words (runs of the letters A-Z / a-z, case-insensitive),
// count them, and print the k most frequent as "word count", one per line.
