// `npm run build`: compiles the rule catalogue (failing on a bad rule, naming it) and bundles
// dist/cli.js and dist/index.js, one self-contained ESM file each, for Node 20 and 24.
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import { VIRTUAL_MODULES } from '../src/build/virtual-modules.js';
import { compileCatalogue, RuleDefinitionError } from '../src/rules/load.js';

function virtualModules(): Plugin {
  return {
    name: 'kubeharden-virtual-modules',
    setup(b) {
      b.onResolve({ filter: /^virtual:kubeharden-/ }, (args) => ({ path: args.path, namespace: 'kubeharden-virtual' }));
      b.onLoad({ filter: /.*/, namespace: 'kubeharden-virtual' }, (args) => ({
        contents: VIRTUAL_MODULES[args.path]!(),
        loader: 'js',
        resolveDir: process.cwd(),
      }));
    },
  };
}

try {
  compileCatalogue('rules');
} catch (error) {
  if (error instanceof RuleDefinitionError) {
    console.error(`build failed: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/action/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: false,
  legalComments: 'none',
  charset: 'utf8',
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  // ajv-formats-draft2019 asks for `punycode`, which Node resolves to its deprecated built-in
  // (a warning on every run on Node 22 and later); the npm package of the same code is bundled.
  alias: { punycode: 'punycode/' },
  plugins: [virtualModules()],
  logLevel: 'warning',
}).catch(() => {
  // esbuild has already printed the errors with their locations.
  process.exit(1);
});
console.log('built dist/cli.js and dist/index.js');
