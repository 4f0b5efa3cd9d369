const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);

const VALUES: [number, string][] = [
  [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
  [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
];
const SYMBOL: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

function toRoman(n: number): string {
  let result = '';
  for (const [value, letters] of VALUES) {
    while (n >= value) {
      result += letters;
      n -= value;
    }
  }
  return result;
}

function fromRoman(s: string): number {
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const value = SYMBOL[s[i]];
    if (i + 1 < s.length && SYMBOL[s[i + 1]] > value) total -= value;
    else total += value;
  }
  return total;
}

const t = Number(tokens[0]);
const out = [];
for (let i = 1; i <= t; i++) {
  const token = tokens[i];
  out.push(/^[0-9]+$/.test(token) ? toRoman(Number(token)) : String(fromRoman(token)));
}
process.stdout.write(out.join('\n') + '\n');
