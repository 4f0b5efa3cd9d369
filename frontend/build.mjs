// Bundle the room's browser modules into static/dist/ with esbuild.
//
//   npm run build            one-shot, minified, with external sourcemaps
//   npm run build -- --watch rebuild on change (development)
//
// Outputs (all git-ignored):
//   static/dist/room.js(.map)   ES module, loaded with <script type="module">
//   static/dist/room.css(.map)  xterm.css + static/css/room.css
//   static/dist/search.js(.map) catalogue search as you type + header suggestions (every page)
import * as esbuild from 'esbuild';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'static', 'dist');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: { room: 'frontend/room.js', search: 'frontend/search.js', replay: 'frontend/replay/index.js' },
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true, // language grammars load on demand
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020', 'chrome90', 'firefox90', 'safari14'],
  minify: !watch,
  sourcemap: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
  // sharedb's client reads process.env in a couple of places; the browser has no process.
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  loader: { '.woff': 'file', '.woff2': 'file' },
};

function kB(n) {
  return `${(n / 1024).toFixed(1)} kB`;
}

async function report(metafile) {
  const lines = [];
  for (const file of Object.keys(metafile.outputs).sort()) {
    const abs = path.join(root, file);
    const { size } = await stat(abs);
    lines.push(`${path.relative(root, abs).padEnd(32)} ${kB(size).padStart(10)}`);
  }
  console.log(lines.join('\n'));
}

// The stylesheet is a separate build so both outputs can be called "room".
const cssOptions = { ...options, entryPoints: { room: 'frontend/room.css' }, format: undefined, splitting: false };

await mkdir(outdir, { recursive: true });

if (watch) {
  const ctxs = await Promise.all([esbuild.context(options), esbuild.context(cssOptions)]);
  await Promise.all(ctxs.map((c) => c.watch()));
  console.log('watching frontend/ and static/css/room.css …');
} else {
  const started = Date.now();
  // Remove stale outputs of earlier builds (e.g. chunks) so the folder only holds this build.
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const results = await Promise.all([esbuild.build(options), esbuild.build(cssOptions)]);
  const metafile = { outputs: Object.assign({}, ...results.map((r) => r.metafile.outputs)) };
  await report(metafile);
  console.log(`built in ${Date.now() - started} ms`);
}
