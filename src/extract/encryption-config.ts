import type { EncryptionConfig, EncryptionProvider, EncryptionRule } from '../model/types.js';
import { arr, get, isObj, scalarText, str } from '../util/values.js';
import type { KubeObject } from './objects.js';
import { keySpanAt, spanAt } from './spans.js';

const PROVIDER_TYPES = ['identity', 'aescbc', 'aesgcm', 'secretbox', 'kms'];

export function isEncryptionConfig(object: KubeObject): boolean {
  return (
    (object.kind === 'EncryptionConfiguration' && object.apiVersion === 'apiserver.config.k8s.io/v1') ||
    (object.kind === 'EncryptionConfig' && object.apiVersion === 'v1')
  );
}

/**
 * An EncryptionConfiguration as the API server reads it: entries of `resources` in order, each
 * with its providers in order (the first one encrypts new writes) and their keys.
 */
export function extractEncryptionConfig(object: KubeObject): EncryptionConfig | undefined {
  if (!isEncryptionConfig(object)) return undefined;
  const { doc, path, value } = object;
  const rules: EncryptionRule[] = arr(value.resources).map((entry, i) => {
    const entryPath = [...path, 'resources', i];
    const resources = arr(get(entry, 'resources')).map((r, j) => ({ name: scalarText(r) ?? '', at: spanAt(doc, [...entryPath, 'resources', j]) }));
    const providers: EncryptionProvider[] = arr(get(entry, 'providers')).flatMap((p, j) => {
      if (!isObj(p)) return [];
      const type = Object.keys(p).find((k) => PROVIDER_TYPES.includes(k)) ?? Object.keys(p)[0];
      if (!type) return [];
      const providerPath = [...entryPath, 'providers', j, type];
      const body = p[type];
      return [
        {
          type,
          at: keySpanAt(doc, providerPath),
          kmsApiVersion: type === 'kms' ? (scalarText(get(body, 'apiVersion')) ?? '') : undefined,
          keys: arr(get(body, 'keys')).map((k, n) => ({
            name: str(get(k, 'name')) ?? '',
            secret: scalarText(get(k, 'secret')),
            at: spanAt(doc, [...providerPath, 'keys', n]),
            secretAt: get(k, 'secret') === undefined ? undefined : spanAt(doc, [...providerPath, 'keys', n, 'secret']),
          })),
        },
      ];
    });
    return { resources, providers, at: keySpanAt(doc, entryPath) };
  });
  const root = object.doc.value;
  return {
    file: doc.file,
    identity: `${object.kind}#${doc.index}${path.length ? `/${path.join('.')}` : ''}`,
    at: keySpanAt(doc, [...path, 'kind']),
    legacy: object.kind === 'EncryptionConfig',
    // SOPS keeps its metadata under a top-level `sops` key and the values as ENC[…].
    sops: isObj(root) && isObj(root.sops),
    rules,
  };
}
