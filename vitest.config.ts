import { defineConfig, type Plugin } from 'vitest/config';
import { compileCatalogue } from './src/rules/load.js';

/** The tests see the same compiled catalogue the bundle embeds (see scripts/build.ts). */
function rulesPlugin(): Plugin {
  const id = 'virtual:kubeharden-rules';
  return {
    name: 'kubeharden-rules',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load: (resolved) => (resolved === `\0${id}` ? `export default ${JSON.stringify(compileCatalogue('rules'))};` : undefined),
  };
}

export default defineConfig({
  plugins: [rulesPlugin()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
