import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { VERSION as version } from '../version.js';
import { check, DEFAULT_MAX_FILE_BYTES, readsFile, type CheckResult } from '../check.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { checkOptions } from '../config/options.js';
import { explainRule, listRules, writeStarterConfig } from './commands.js';
import { compareWithBase } from '../findings/baseline.js';
import { atOrAbove } from '../findings/finding.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import { BUILTIN_RULES } from '../rules/builtin.js';
import type { Severity } from '../rules/types.js';
import { GitError, GitTree } from '../source/git-tree.js';
import { DirectoryTree, gitTopLevel, toTreePath } from '../source/tree.js';

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** A mistake in how kubeharden was called: reported in one line, exit 2, never a stack trace. */
class UsageError extends Error {}

const USAGE = `Usage: kubeharden check [PATH…] [options]
       kubeharden rules [--format text|json]    list the rules
       kubeharden explain RULE-ID               show what a rule checks and how to fix it
       kubeharden init                          write a commented .kubeharden.yml

Checks Kubernetes cluster configuration (static pods, kubeadm, Cluster API, kubelet, k3s/RKE2,
systemd units, kind) under each PATH (default: the root).

Options:
  --format text|json|sarif      output format (default: text)
  --output FILE                 write the report to FILE instead of standard output
  --config FILE                 configuration file (default: .kubeharden.yml at the root)
  --fail-on error|warning|notice|none
                                lowest severity that makes the exit code 1 (default: error)
  --kubernetes-version X.Y      the cluster's Kubernetes version (overrides what the files say)
  --root DIR                    paths in the report are relative to DIR
                                (default: the git top-level of the current folder, else the folder)
  --base REF                    compare with the files at git REF: each finding is new, existing
                                or fixed, and only new ones fail the run (see --mode)
  --mode new|all                with --base: fail on new findings only (default), or on all
  -h, --help                    show this help
  --version                     show the version

Environment: KUBEHARDEN_TODAY=YYYY-MM-DD judges end-of-life dates as of that day.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
2 usage or configuration error, 3 internal error (a bug: please report it).
`;

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    return execute(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`kubeharden: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`kubeharden: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    if (io.env.KUBEHARDEN_DEBUG) io.stderr(`${(error as Error)?.stack ?? ''}\n`);
    else io.stderr('This is a bug in kubeharden; set KUBEHARDEN_DEBUG=1 for details and please report it.\n');
    return EXIT.internal;
  }
}

function execute(argv: string[], io: Io): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string' },
        config: { type: 'string' },
        'fail-on': { type: 'string' },
        'kubernetes-version': { type: 'string' },
        root: { type: 'string' },
        base: { type: 'string' },
        mode: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (see kubeharden --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  if (values.version) {
    io.stdout(`${version}\n`);
    return EXIT.ok;
  }
  const [command, ...paths] = positionals;
  if (command === 'rules') {
    io.stdout(listRules(BUILTIN_RULES, oneOf('--format', values.format ?? 'text', ['text', 'json'] as const)));
    return EXIT.ok;
  }
  if (command === 'explain') {
    const id = paths[0];
    if (!id || paths.length > 1) throw new UsageError('explain takes one rule id (see kubeharden rules)');
    const rule = BUILTIN_RULES.find((r) => r.id === id || r.aliases?.includes(id));
    if (!rule) throw new UsageError(`unknown rule id "${id}" (see kubeharden rules)`);
    io.stdout(explainRule(rule));
    return EXIT.ok;
  }
  if (command === 'init') {
    const root = chooseRoot(values.root, [], io.cwd);
    const { written, exists } = writeStarterConfig(root);
    if (exists) throw new UsageError(`${exists} exists already; kubeharden init does not overwrite it`);
    io.stdout(`wrote ${written}\n`);
    return EXIT.ok;
  }
  if (command !== 'check') {
    throw new UsageError(command ? `unknown command "${command}" (see kubeharden --help)` : 'no command given (see kubeharden --help)');
  }

  const format = oneOf('--format', values.format ?? 'text', ['text', 'json', 'sarif'] as const);
  const absPaths = paths.map((p) => path.resolve(io.cwd, p));
  for (const p of absPaths) if (!existsSync(p)) throw new UsageError(`${p}: no such file or folder`);
  const root = chooseRoot(values.root, absPaths, io.cwd);

  const config = loadConfig(root, BUILTIN_RULES, values.config ? path.resolve(io.cwd, values.config) : undefined);
  const failOn = oneOf('--fail-on', values['fail-on'] ?? config.failOn ?? 'error', ['error', 'warning', 'notice', 'none'] as const);
  const kubernetesVersion = values['kubernetes-version'];
  if (kubernetesVersion !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(kubernetesVersion)) {
    throw new UsageError(`--kubernetes-version must look like 1.31 or 1.31.2, not "${kubernetesVersion}"`);
  }

  const only = absPaths.map((p) => toTreePath(root, p)).filter((p) => p !== '');
  const today = io.env.KUBEHARDEN_TODAY;
  if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    throw new UsageError(`KUBEHARDEN_TODAY must be a date like 2026-12-01, not "${today}"`);
  }
  const mode = oneOf('--mode', values.mode ?? config.mode ?? 'new', ['new', 'all'] as const);
  const options = checkOptions(BUILTIN_RULES, config, { kubernetesVersion, today });
  const rules = options.rules;
  let base: { ref: string; commit: string } | undefined;
  let baseResult: CheckResult | undefined;
  if (values.base !== undefined) {
    const top = gitTopLevel(root);
    if (!top) throw new UsageError(`--base needs a git repository, and ${root} is not in one`);
    const prefix = path.relative(top, root).split(path.sep).join('/');
    let tree: GitTree;
    try {
      tree = new GitTree(top, values.base, prefix, only, (p, size) => readsFile(p) && size <= DEFAULT_MAX_FILE_BYTES);
    } catch (error) {
      if (error instanceof GitError) throw new UsageError(error.message);
      throw error;
    }
    base = { ref: values.base, commit: tree.commit };
    baseResult = check(tree, options);
  }
  const result = check(new DirectoryTree(root, only), { ...options, base: baseResult?.model });
  const findings = baseResult ? compareWithBase(result.findings, baseResult.findings) : result.findings;

  let report: string;
  if (format === 'json') report = renderJson(findings, result.summary, base);
  else if (format === 'sarif') report = renderSarif(findings, rules);
  else report = renderText(findings, result.summary, { colour: !values.output && useColour(io), base: base?.ref });
  if (values.output) {
    writeFileSync(path.resolve(io.cwd, values.output), report);
  } else {
    io.stdout(report);
  }
  // Against a base, only what the change brings fails the run unless --mode all says otherwise.
  const counted = findings.filter((f) => !f.suppressed && f.status !== 'fixed' && (!base || mode === 'all' || f.status === 'new'));
  return counted.some((f) => atOrAbove(f.severity, failOn as Severity | 'none')) ? EXIT.findings : EXIT.ok;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${name} must be one of ${allowed.join(', ')}, not "${value}"`);
  }
  return value as T;
}

/**
 * The root paths are reported against: --root, else the git top-level of the current folder,
 * else the current folder. A PATH outside that root takes its own git top-level (or itself) as
 * root, so `kubeharden check ~/elsewhere` still works from anywhere.
 */
function chooseRoot(explicit: string | undefined, absPaths: string[], cwd: string): string {
  if (explicit) {
    const root = path.resolve(cwd, explicit);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--root ${explicit}: not a folder`);
    for (const p of absPaths) {
      if (isOutside(root, p)) throw new UsageError(`${p} is outside the root ${root}`);
    }
    return root;
  }
  const root = gitTopLevel(cwd) ?? cwd;
  if (absPaths.every((p) => !isOutside(root, p))) return root;
  const first = absPaths[0]!;
  const own = gitTopLevel(first) ?? (statSync(first).isDirectory() ? first : path.dirname(first));
  for (const p of absPaths) {
    if (isOutside(own, p)) throw new UsageError(`${p} and ${first} are not under one root; pass --root`);
  }
  return own;
}

function isOutside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel.startsWith('..') || path.isAbsolute(rel);
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
function useColour(io: Io): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}
