// `npm run bench`: speed and memory of a whole check against the floor set by the YAML parser.
// The floor reads the same files with js-yaml's parseEvents + constructFromEvents and nothing
// else; kubeharden's target is at most 2.0x that time and at most 400 MB peak RSS at ~10,000
// documents. Each figure is the median of several runs, each in a fresh process.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateRbacRepository, generateRepository } from './generate.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const repo = path.resolve('.bench/repo');
const corpus = path.resolve(process.env.KUBEHARDEN_SHARED ?? '../shared', 'corpus');

const generated = generateRepository(repo, { clusters: Number(process.env.BENCH_CLUSTERS ?? 200) });
console.log(`synthetic repository: ${generated.files} files, ${generated.documents} documents (.bench/repo)`);
const dirs = existsSync(corpus) ? [repo, corpus] : [repo];

interface Sample {
  ms: number;
  maxRssMiB: number;
  documents: number;
  findings: number;
}

function measure(mode: 'floor' | 'check', on: string[] = dirs): Sample {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['scripts/run-ts.mjs', 'bench/child.ts', mode, ...on], { encoding: 'utf8' });
    samples.push(JSON.parse(out.trim().split('\n').pop()!) as Sample);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    ms: median(samples.map((s) => s.ms)),
    maxRssMiB: Math.max(...samples.map((s) => s.maxRssMiB)),
    documents: samples[0]!.documents,
    findings: samples[0]!.findings,
  };
}

const floor = measure('floor');
const run = measure('check');
const fmt = (n: number) => n.toFixed(0);
console.log(`floor (parseEvents + constructFromEvents): ${fmt(floor.ms)} ms, ${floor.documents} documents, peak RSS ${fmt(floor.maxRssMiB)} MiB`);
console.log(
  `kubeharden check: ${fmt(run.ms)} ms, ${run.documents} documents, ${run.findings} findings, ` +
    `${fmt((run.documents / run.ms) * 1000)} documents/s, peak RSS ${fmt(run.maxRssMiB)} MiB`,
);
const ratio = run.ms / floor.ms;
console.log(`ratio to the floor: ${ratio.toFixed(2)}x (target <= 2.0x); peak RSS target <= 400 MB`);

// RBAC at scale: one cluster, every role and binding in one permission graph.
const rbacRepo = path.resolve('.bench/rbac');
const rbac = generateRbacRepository(rbacRepo, { teams: Number(process.env.BENCH_TEAMS ?? 1000) });
console.log(`\nsynthetic RBAC: ${rbac.documents} roles and bindings in one cluster, ${rbac.files} files (.bench/rbac)`);
const rbacFloor = measure('floor', [rbacRepo]);
const rbacRun = measure('check', [rbacRepo]);
console.log(`floor: ${fmt(rbacFloor.ms)} ms; kubeharden check: ${fmt(rbacRun.ms)} ms, ${rbacRun.findings} findings, peak RSS ${fmt(rbacRun.maxRssMiB)} MiB`);
console.log(`ratio to the floor: ${(rbacRun.ms / rbacFloor.ms).toFixed(2)}x`);
