// `npm run generate`: rewrites every generated file (src/data from ../shared/data, docs/rules from rules/).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateData } from '../src/data/generate.js';
import { sharedDir } from './paths.js';

const dataDir = path.resolve('src/data');
for (const [name, content] of generateData(path.join(sharedDir(), 'data'))) {
  writeFileSync(path.join(dataDir, name), content);
  console.log(`wrote src/data/${name}`);
}
