// `npm run generate`: rewrites every generated file: src/data from ../shared/data, docs/rules from
// rules/, and the published JSON Schemas. CI fails when a committed copy differs.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateData } from '../src/data/generate.js';
import { generatedDocs } from '../src/docs/generated.js';
import { sharedDir } from './paths.js';

for (const [name, content] of generateData(path.join(sharedDir(), 'data'))) {
  writeFileSync(path.join('src/data', name), content);
  console.log(`wrote src/data/${name}`);
}
// Docs are generated after the data: rule pages render facts from it.
const { compileCatalogue } = await import('../src/rules/load.js');
for (const [name, content] of generatedDocs(compileCatalogue('rules'), 'rules')) {
  const file = path.join('docs', name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}
console.log('wrote docs/');
