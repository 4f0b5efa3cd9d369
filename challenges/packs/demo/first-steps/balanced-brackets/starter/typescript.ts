const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);

// Return the 1-based position where s stops being balanced, or 0 if it is balanced.
function firstError(s) {
  // TODO: use a stack of the brackets that are still open.
  return 0;
}

const t = Number(tokens[0]);
for (let i = 1; i <= t; i++) {
  const error = firstError(tokens[i]);
  // TODO: print YES or the position
}
