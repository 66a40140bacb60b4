import type { RawFinding } from '../../findings/finding.js';
import { effectiveVersion, versionPhrase } from '../../model/cluster-version.js';
import type { EncryptionConfig, EncryptionKey, EncryptionProvider, EncryptionRule } from '../../model/types.js';
import { compareMinor } from '../../model/versions.js';
import { isPlaceholder } from '../../extract/argv.js';
import { parseBool } from '../flag-eval.js';
import { settingItems } from '../setting-spans.js';
import type { Rule } from '../types.js';
import { analyzerFinding, type Analyzer } from './index.js';

type EncryptionCheck =
  | 'legacy'
  | 'secrets-not-covered'
  | 'identity-first'
  | 'weak-provider'
  | 'key-invalid'
  | 'key-committed'
  | 'key-duplicate'
  | 'key-single'
  | 'automatic-reload'
  | 'kms-v1-disabled';

/** Key lengths the API server accepts, in bytes after base64 decoding. */
const KEY_BYTES: Record<string, number[]> = { aescbc: [32], secretbox: [32], aesgcm: [16, 24, 32] };

export const encryption: Analyzer = (rule, params, model, input, out) => {
  const check = params.check as EncryptionCheck;
  for (const scope of model.scopes) {
    if (check === 'automatic-reload' || check === 'kms-v1-disabled') {
      // These need the API server that reads the configuration.
      for (const component of scope.components) {
        const reference = component.references?.get('--encryption-provider-config');
        if (reference?.kind !== 'encryption') continue;
        const setting = component.settings.get('--encryption-provider-config')!;
        const config = reference.config;
        if (check === 'automatic-reload') {
          const rotating = config.rules.find((r) => (r.providers[0]?.keys.length ?? 0) > 1);
          const reload = component.settings.get('--encryption-provider-config-automatic-reload');
          if (rotating && parseBool(reload?.value ?? 'false') !== true && !config.generatedBy) {
            const detail = `the EncryptionConfiguration in ${config.file.path} holds ${rotating.providers[0]!.keys.length} keys for \`${rotating.providers[0]!.type}\` (a rotation), and the API server reads it only at start-up`;
            out.push(analyzerFinding(rule, setting.at, detail, `${component.identity} automatic-reload`));
          }
        } else {
          const version = effectiveVersion(component, scope, input.kubernetesVersion);
          if (compareMinor(version.version, '1.29') < 0) continue;
          const gates = component.settings.get('--feature-gates');
          const enabled = gates && settingItems(gates).some((i) => i.key === 'KMSv1' && parseBool(i.value ?? '') === true);
          if (enabled) continue;
          for (const provider of config.rules.flatMap((r) => r.providers)) {
            if (provider.type !== 'kms' || provider.kmsApiVersion === 'v2') continue;
            const detail = `\`kms\` without \`apiVersion: v2\` is KMS v1, which is off by default since 1.29: at ${versionPhrase(version)} the API server does not start without \`--feature-gates=KMSv1=true\``;
            out.push(analyzerFinding(rule, provider.at, detail, `${config.identity} kms-v1`));
          }
        }
      }
      continue;
    }
    for (const config of scope.encryption) judgeConfig(rule, check, config, out);
  }
};

function judgeConfig(rule: Rule, check: EncryptionCheck, config: EncryptionConfig, out: RawFinding[]): void {
  const push = (at: EncryptionConfig['at'], detail: string, what: string) => out.push(analyzerFinding(rule, at, detail, `${config.identity} ${what}`));
  const where = config.generatedBy ? ` (the configuration ${config.generatedBy} generates)` : '';
  if (check === 'legacy') {
    if (config.legacy) push(config.at, '`kind: EncryptionConfig` with `apiVersion: v1` is the format of Kubernetes before 1.13; the API server no longer reads it', 'legacy');
    return;
  }
  const secrets = secretsRule(config.rules);
  if (check === 'secrets-not-covered') {
    if (!secrets) push(config.at, 'no entry of `resources` covers `secrets`, so Secrets are stored in etcd in plain text', 'secrets');
    return;
  }
  if (check === 'identity-first') {
    const first = secrets?.providers[0];
    if (first?.type === 'identity') push(first.at, 'the first provider for Secrets is `identity`: new Secrets are written to etcd in plain text', 'identity-first');
    return;
  }
  for (const entry of config.rules) {
    const first = entry.providers[0];
    if (check === 'weak-provider' && first) {
      const weakness = weak(first);
      if (weakness) push(first.at, `\`${first.type}\`${first.type === 'kms' ? ' (v1)' : ''} encrypts ${resourcesOf(entry)}${where}: ${weakness}`, `weak ${resourcesOf(entry)}`);
    }
    for (const provider of entry.providers) judgeKeys(check, config, provider, push);
  }
}

/** The entry that decides how Secrets are stored: the first that names them or a wildcard covering them. */
function secretsRule(rules: readonly EncryptionRule[]): EncryptionRule | undefined {
  return rules.find((r) => r.resources.some((res) => ['secrets', 'secrets.', '*.', '*.*'].includes(res.name)));
}

function resourcesOf(entry: EncryptionRule): string {
  const names = entry.resources.map((r) => `\`${r.name}\``);
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}

/** Why a write provider falls short of today's guidance (kubernetes.io, encrypt-data). */
function weak(provider: EncryptionProvider): string | undefined {
  switch (provider.type) {
    case 'aescbc':
      return 'AES-CBC is open to padding-oracle attacks and the Kubernetes docs no longer recommend it; use kms v2, or secretbox';
    case 'aesgcm':
      return 'AES-GCM keys must be rotated every 200,000 writes, which only an automated rotation does; use kms v2, or secretbox';
    case 'kms':
      return provider.kmsApiVersion === 'v2' ? undefined : 'KMS v1 is deprecated since 1.28 and off by default since 1.29; set `apiVersion: v2`';
    default:
      return undefined;
  }
}

function judgeKeys(
  check: EncryptionCheck,
  config: EncryptionConfig,
  provider: EncryptionProvider,
  push: (at: EncryptionKey['at'], detail: string, what: string) => void,
): void {
  const lengths = KEY_BYTES[provider.type];
  if (!lengths) return;
  if (check === 'key-single' && provider === firstProviderOf(config, provider) && provider.keys.length === 1) {
    push(provider.keys[0]!.at, `\`${provider.type}\` has one key, \`${provider.keys[0]!.name}\`: rotating it means adding a new key first, then rewriting every object`, `single ${provider.type}`);
  }
  const seen = new Set<string>();
  for (const key of provider.keys) {
    if (check === 'key-duplicate' && seen.has(key.name)) {
      push(key.at, `a second \`${provider.type}\` key named \`${key.name}\`: stored data names the key that wrote it (\`k8s:enc:${provider.type}:v1:${key.name}:\`), so the two cannot be told apart or rotated out one at a time`, `duplicate ${key.name}`);
    }
    seen.add(key.name);
    const material = keyMaterial(config, key);
    if (!material) continue;
    if (check === 'key-committed') {
      push(key.secretAt ?? key.at, `the \`${provider.type}\` key \`${key.name}\` is committed in plain text: anyone who can read the repository can decrypt what it encrypts in etcd`, `committed ${key.name}`);
    }
    if (check === 'key-invalid') {
      const bytes = base64Length(material);
      if (bytes === undefined) push(key.secretAt ?? key.at, `the \`${provider.type}\` key \`${key.name}\` is not valid base64, so the API server does not start`, `invalid ${key.name}`);
      else if (!lengths.includes(bytes)) {
        const wanted = lengths.length > 1 ? `${lengths.slice(0, -1).join(', ')} or ${lengths.at(-1)}` : String(lengths[0]);
        push(key.secretAt ?? key.at, `the \`${provider.type}\` key \`${key.name}\` is ${bytes} bytes; ${provider.type} takes ${wanted}-byte keys, so the API server does not start`, `length ${key.name}`);
      }
    }
  }
}

function firstProviderOf(config: EncryptionConfig, provider: EncryptionProvider): EncryptionProvider | undefined {
  return config.rules.find((r) => r.providers.includes(provider))?.providers[0];
}

/**
 * The key as committed, when it is real key material: not in a SOPS-encrypted file, not an
 * `ENC[…]` value, not a placeholder filled in at deploy time (`${KEY}`, `{{ .key }}`, `<key>`).
 */
export function keyMaterial(config: EncryptionConfig, key: EncryptionKey): string | undefined {
  const secret = key.secret?.trim();
  if (!secret || config.sops || config.generatedBy) return undefined;
  if (/^ENC\[/.test(secret) || isPlaceholder(secret) || /^<.*>$/.test(secret) || /^(REPLACE|CHANGE)/i.test(secret)) return undefined;
  return secret;
}

/** Decoded length of standard base64, or undefined when the text is not base64. */
function base64Length(text: string): number | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, 'base64').length;
}
