const word = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0)[0];

// TODO: rearrange the letters so no two neighbours are equal, or print IMPOSSIBLE.
