import type { Path } from '../parse/locate.js';
import type { YamlDocument } from '../parse/yaml.js';
import { arr, get, isObj, str } from '../util/values.js';

/** A Kubernetes-style object (apiVersion + kind) inside a document, possibly an item of a List. */
export interface KubeObject {
  doc: YamlDocument;
  value: Record<string, unknown>;
  /** Path of the object inside its document (empty, or `['items', n]` for a List item). */
  path: Path;
  apiVersion: string;
  kind: string;
  /** Where the object came from when it is not a document of its own (a kind patch), for identities. */
  origin?: string | undefined;
}

/**
 * The objects a document holds: itself, or the items of a `List` (`v1 List`, `PodList`, …).
 * YAML that names no apiVersion and kind (workflows, compose files, values files) holds none.
 */
export function objectsOf(doc: YamlDocument): KubeObject[] {
  const root = asObject(doc, doc.value, []);
  if (!root) return [];
  if (root.kind.endsWith('List') && Array.isArray(root.value.items)) {
    const items: KubeObject[] = [];
    arr(root.value.items).forEach((item, index) => {
      const object = asObject(doc, item, ['items', index]);
      if (object) items.push(object);
    });
    return items;
  }
  return [root];
}

function asObject(doc: YamlDocument, value: unknown, path: Path): KubeObject | undefined {
  if (!isObj(value)) return undefined;
  const apiVersion = str(get(value, 'apiVersion'));
  const kind = str(get(value, 'kind'));
  if (!apiVersion || !kind) return undefined;
  return { doc, value, path, apiVersion, kind };
}
