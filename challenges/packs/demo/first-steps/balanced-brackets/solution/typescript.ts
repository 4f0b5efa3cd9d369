const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const OPEN = { ')': '(', ']': '[', '}': '{' };

// 1-based position where s stops being balanced, or 0 if it is balanced.
function firstError(s) {
  const stack = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c in OPEN) {
      if (stack.length === 0 || stack.pop() !== OPEN[c]) return i + 1;
    } else {
      stack.push(c);
    }
  }
  return stack.length > 0 ? s.length + 1 : 0;
}

const t = Number(tokens[0]);
const out = [];
for (let i = 1; i <= t; i++) {
  const error = firstError(tokens[i]);
  out.push(error === 0 ? 'YES' : String(error));
}
process.stdout.write(out.join('\n') + '\n');
