// One measurement in a fresh process, so that peak RSS belongs to this work alone:
//   child.ts floor <dir>...   read every YAML file with js-yaml parseEvents + constructFromEvents
//   child.ts check <dir>...   the whole kubeharden check (parse, extract, model, rules, findings)
// Prints {ms, maxRssMiB, documents, findings} as JSON.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { constructFromEvents, parseEvents, YAML11_SCHEMA } from 'js-yaml';
import { check } from '../src/check.js';
import { compileCatalogue } from '../src/rules/load.js';
import { DirectoryTree } from '../src/source/tree.js';

const [mode, ...dirs] = process.argv.slice(2);
const YAML = /\.(ya?ml|json|manifest)$/i;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && YAML.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => path.join(e.parentPath, e.name));
}

const rules = mode === 'check' ? compileCatalogue('rules') : [];
const started = performance.now();
let documents = 0;
let findings = 0;
if (mode === 'floor') {
  for (const dir of dirs) {
    for (const file of yamlFiles(dir)) {
      const text = readFileSync(file, 'utf8');
      try {
        const events = parseEvents(text, {});
        documents += constructFromEvents(events, { source: text, schema: YAML11_SCHEMA }).length;
      } catch {
        // broken and templated corpus files count as read
      }
    }
  }
} else if (mode === 'check') {
  for (const dir of dirs) {
    const result = check(new DirectoryTree(dir), { rules });
    documents += result.summary.documents;
    findings += result.findings.length;
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, documents, findings }));
