import { existsSync } from 'node:fs';
import path from 'node:path';

/** The shared facts and corpus live beside the project (../shared); KUBEHARDEN_SHARED overrides. */
export function sharedDir(): string {
  const dir = process.env.KUBEHARDEN_SHARED ?? path.resolve('..', 'shared');
  if (!existsSync(dir)) throw new Error(`shared data not found at ${dir} (set KUBEHARDEN_SHARED)`);
  return dir;
}
