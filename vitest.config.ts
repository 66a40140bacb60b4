import { defineConfig, type Plugin } from 'vitest/config';
import { VIRTUAL_MODULES } from './src/build/virtual-modules.js';

/** The tests see the same generated modules the bundle embeds (see scripts/build.ts). */
function virtualModules(): Plugin {
  return {
    name: 'kubeharden-virtual-modules',
    resolveId: (source) => (source in VIRTUAL_MODULES ? `\0${source}` : undefined),
    load: (resolved) => (resolved.startsWith('\0virtual:kubeharden-') ? VIRTUAL_MODULES[resolved.slice(1)]!() : undefined),
  };
}

export default defineConfig({
  plugins: [virtualModules()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
