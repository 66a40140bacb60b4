// `npm run build`: compiles the rule catalogue (failing on a bad rule, naming it) and bundles
// dist/cli.js and dist/index.js, one self-contained ESM file each, for Node 20 and 24.
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import { compileCatalogue, RuleDefinitionError } from '../src/rules/load.js';

function rulesPlugin(): Plugin {
  return {
    name: 'kubeharden-rules',
    setup(b) {
      b.onResolve({ filter: /^virtual:kubeharden-rules$/ }, (args) => ({ path: args.path, namespace: 'kubeharden-rules' }));
      b.onLoad({ filter: /.*/, namespace: 'kubeharden-rules' }, () => ({
        contents: JSON.stringify(compileCatalogue('rules')),
        loader: 'json',
        watchFiles: [],
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
  plugins: [rulesPlugin()],
  logLevel: 'warning',
}).catch(() => {
  // esbuild has already printed the errors with their locations.
  process.exit(1);
});
console.log('built dist/cli.js and dist/index.js');
