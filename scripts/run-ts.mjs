// Runs a TypeScript entry point on Node 20 without a TypeScript loader: esbuild bundles it in
// memory and the result is imported from a temporary file next to it (so relative paths hold).
// The `virtual:kubeharden-*` modules are generated as the build generates them.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}

/** Bundles a TypeScript module into a temporary file in `dir`; returns its URL and a cleanup. */
async function bundle(file, dir, plugins = []) {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
    plugins,
  });
  const tmp = mkdtempSync(path.join(dir, '.run-'));
  const out = path.join(tmp, 'entry.mjs');
  writeFileSync(out, result.outputFiles[0].text);
  return { url: pathToFileURL(out).href, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

let generators;
async function virtualModule(id) {
  if (!generators) {
    const module = await bundle(path.join(root, 'src', 'build', 'virtual-modules.ts'), path.join(root, 'scripts'));
    try {
      generators = (await import(module.url)).VIRTUAL_MODULES;
    } finally {
      module.cleanup();
    }
  }
  return generators[id]();
}

const virtualModules = {
  name: 'kubeharden-virtual-modules',
  setup(b) {
    b.onResolve({ filter: /^virtual:kubeharden-/ }, (a) => ({ path: a.path, namespace: 'kubeharden-virtual' }));
    b.onLoad({ filter: /.*/, namespace: 'kubeharden-virtual' }, async (a) => ({
      contents: await virtualModule(a.path),
      loader: 'js',
      resolveDir: root,
    }));
  },
};

const main = await bundle(entry, path.dirname(path.resolve(entry)), [virtualModules]);
process.argv = [process.argv[0], entry, ...args];
try {
  await import(main.url);
} finally {
  main.cleanup();
}
