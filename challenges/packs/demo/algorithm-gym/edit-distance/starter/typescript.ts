const [a, b] = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length > 0);

function editDistance(a, b) {
  // TODO: the minimum number of insertions, deletions and substitutions turning a into b
  return 0;
}

process.stdout.write(editDistance(a, b) + '\n');
