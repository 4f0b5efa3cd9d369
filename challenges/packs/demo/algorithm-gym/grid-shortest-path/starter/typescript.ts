const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);
const rows = Number(tokens[0]);
const cols = Number(tokens[1]);
const grid = tokens.slice(2, 2 + rows); // grid[r][c] is one of . # S E

// TODO: breadth-first search from S; print the number of moves to reach E, or -1.
