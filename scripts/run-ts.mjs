// Runs a TypeScript entry point on Node 20 without a TypeScript loader: esbuild bundles it in
// memory and the result is imported from a temporary file next to it (so relative paths hold).
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}
const result = await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  write: false,
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
const dir = mkdtempSync(path.join(path.dirname(path.resolve(entry)), '.run-'));
const out = path.join(dir, 'entry.mjs');
writeFileSync(out, result.outputFiles[0].text);
process.argv = [process.argv[0], entry, ...args];
try {
  await import(pathToFileURL(out).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
