import type { RawFinding } from '../../findings/finding.js';
import type { EncryptionConfig, EncryptionProvider, EncryptionRule, Model } from '../../model/types.js';
import type { Rule } from '../types.js';
import { analyzerFinding, type Analyzer } from './index.js';

const REWRITE = '`kubectl get secrets --all-namespaces -o json | kubectl replace -f -`';

/**
 * What a change to an EncryptionConfiguration asks of the operator, found by comparing it with
 * the base (`--base`): a new provider or key for writes leaves what etcd already holds as it was
 * until every object is rewritten (`params.check: rewrite-needed`), and dropping the key that
 * has been encrypting new writes makes everything it wrote unreadable (`key-removed`).
 */
export const encryptionChanges: Analyzer = (rule, params, model, input, out) => {
  if (!input.base) return;
  const check = params.check as 'rewrite-needed' | 'key-removed';
  const before = new Map(configs(input.base).map((c) => [key(c), c]));
  for (const config of configs(model)) {
    const old = before.get(key(config));
    for (const entry of config.rules) {
      const previous = old && matching(old.rules, entry);
      judge(rule, check, config, entry, previous, out);
    }
  }
};

function judge(rule: Rule, check: string, config: EncryptionConfig, entry: EncryptionRule, previous: EncryptionRule | undefined, out: RawFinding[]): void {
  const writer = entry.providers[0];
  if (!writer) return;
  const identity = `${config.identity} ${entry.resources.map((r) => r.name).join(',')}`;
  const resources = entry.resources.map((r) => `\`${r.name}\``).join(', ');
  if (!previous) {
    if (check === 'rewrite-needed' && writer.type !== 'identity') {
      const detail = `encryption of ${resources} is new in this change: what etcd already holds stays in plain text until it is rewritten (${REWRITE}, once every API server runs this configuration)`;
      out.push(analyzerFinding(rule, writer.at, detail, `${identity} new`));
    }
    return;
  }
  const was = writeKey(previous.providers[0]);
  const now = writeKey(writer);
  const removed = keysOf(previous).filter((k) => !keysOf(entry).includes(k));
  if (check === 'key-removed' && was && removed.includes(was) && was !== 'identity') {
    const detail = `${describe(was)} encrypted new writes of ${resources} until this change and is now gone from the configuration: everything it wrote can no longer be read. Keep it as a second key until every object has been rewritten`;
    out.push(analyzerFinding(rule, entry.at, detail, `${identity} removed ${was}`));
  }
  if (check !== 'rewrite-needed') return;
  if (was !== now) {
    const detail = `new writes of ${resources} change from ${describe(was)} to ${describe(now)}: what etcd already holds stays as it was written until it is rewritten (${REWRITE}, once every API server runs this configuration)`;
    out.push(analyzerFinding(rule, writer.at, detail, `${identity} ${was}->${now}`));
  }
  for (const k of removed.filter((k) => k !== was && k !== 'identity')) {
    const detail = `${describe(k)} is removed: only safe if every object written with it has been rewritten since it stopped encrypting new writes`;
    out.push(analyzerFinding(rule, entry.at, detail, `${identity} dropped ${k}`));
  }
}

function configs(model: Model): EncryptionConfig[] {
  return model.scopes.flatMap((s) => s.encryption);
}

function key(config: EncryptionConfig): string {
  return `${config.file.path}\0${config.identity}`;
}

/** The base entry for the same resources (the first resource named decides). */
function matching(rules: readonly EncryptionRule[], entry: EncryptionRule): EncryptionRule | undefined {
  const names = new Set(entry.resources.map((r) => r.name));
  return rules.find((r) => r.resources.some((res) => names.has(res.name)));
}

/** `aescbc/key1`, `kms/plugin-name`, or `identity`: what encrypts new writes. */
function writeKey(provider: EncryptionProvider | undefined): string | undefined {
  if (!provider) return undefined;
  if (provider.type === 'identity') return 'identity';
  return `${provider.type}/${provider.keys[0]?.name ?? ''}`;
}

function keysOf(entry: EncryptionRule): string[] {
  return entry.providers.flatMap((p) => (p.type === 'identity' ? ['identity'] : p.keys.length ? p.keys.map((k) => `${p.type}/${k.name}`) : [`${p.type}/`]));
}

function describe(k: string | undefined): string {
  if (!k || k === 'identity') return '`identity` (plain text)';
  const [type, name] = k.split('/');
  return name ? `the \`${type}\` key \`${name}\`` : `\`${type}\``;
}
