import type { Path, PosNode } from '../parse/locate.js';
import type { Span } from '../parse/source-file.js';
import type { YamlDocument } from '../parse/yaml.js';
import type { KubeObject } from './objects.js';
import type { Component, ComponentName, HostMount, Setting } from '../model/types.js';
import { arr, get, isObj, str, type Obj } from '../util/values.js';
import { isPlaceholder, parseFlags, shellWords, type FlagOccurrence, type Word } from './argv.js';
import { appendToSequence, keySpanAt, nodeAt, partSpan, replaceOnLine } from './spans.js';
import { componentDefaults } from './component.js';

/** Binaries we recognise, by file name (the path before it does not matter). */
export const BINARIES: Record<string, ComponentName> = {
  'kube-apiserver': 'kube-apiserver',
  'kube-controller-manager': 'kube-controller-manager',
  'kube-scheduler': 'kube-scheduler',
  etcd: 'etcd',
  kubelet: 'kubelet',
  'kube-proxy': 'kube-proxy',
};
/** `hyperkube <sub>` ran every component from one binary until Kubernetes 1.17. */
const HYPERKUBE: Record<string, ComponentName> = {
  apiserver: 'kube-apiserver',
  'kube-apiserver': 'kube-apiserver',
  'controller-manager': 'kube-controller-manager',
  'kube-controller-manager': 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  'kube-scheduler': 'kube-scheduler',
  kubelet: 'kubelet',
  proxy: 'kube-proxy',
  'kube-proxy': 'kube-proxy',
};
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'busybox']);

/** Kinds whose pod template can run a control-plane component. */
const TEMPLATE_PATHS: Record<string, Path> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
};

/** The word list of a container, and how to map each word back to the file. */
interface Argv {
  words: Word[];
  /** For each `Word.source`: the list ('command' or 'args'), item index, node and decoded value. */
  sources: { list: 'command' | 'args'; index: number; node: PosNode | undefined; value: string }[];
}

/**
 * Control-plane components run as static pods (or in Deployments/DaemonSets), recognised by the
 * container's command and args, never by the file or pod name: names lie (a pod called
 * `kube-apiserver` may run the scheduler), commands do not.
 */
export function extractStaticPods(object: KubeObject, out: Component[]): void {
  const specPath = TEMPLATE_PATHS[object.kind];
  if (!specPath) return;
  let spec: unknown = object.value;
  for (const key of specPath) spec = get(spec, key as string);
  if (!isObj(spec)) return;
  const containers = arr(get(spec, 'containers'));
  const volumes = hostPathVolumes(spec);
  containers.forEach((container, index) => {
    if (!isObj(container)) return;
    const containerPath = [...object.path, ...specPath, 'containers', index];
    const component = readContainer(object, container, containerPath, volumes);
    if (component) out.push(component);
  });
}

function readContainer(
  object: KubeObject,
  container: Obj,
  containerPath: Path,
  volumes: Map<string, string>,
): Component | undefined {
  const { doc, kind } = object;
  const argv = containerArgv(doc, container, containerPath);
  let name: ComponentName | undefined;
  let flagWords: Word[] = [];
  for (let i = 0; i < argv.words.length; i++) {
    const base = basename(argv.words[i]!.text);
    const direct = BINARIES[base];
    if (direct) {
      name = direct;
      flagWords = argv.words.slice(i + 1);
      break;
    }
    if (base === 'hyperkube') {
      const sub = HYPERKUBE[argv.words[i + 1]?.text ?? ''];
      if (sub) {
        name = sub;
        flagWords = argv.words.slice(i + 2);
        break;
      }
    }
  }
  if (!name) {
    // No binary on the command line: the image's entrypoint runs, so the image names the program,
    // but only when every word is a flag (otherwise something else is being run).
    const fromImage = BINARIES[imageName(str(container.image) ?? '')];
    if (!fromImage || argv.words.length === 0 || !argv.words.every((w) => w.text.startsWith('-'))) return undefined;
    name = fromImage;
    flagWords = argv.words;
  }

  const occurrences = parseFlags(flagWords, { singleDash: name === 'etcd' });
  const settings = new Map<string, Setting>();
  const metadata = get(object.value, 'metadata');
  const identity = `${kind}/${str(get(metadata, 'namespace')) ?? 'default'}/${
    str(get(metadata, 'name')) ?? `#${doc.index + 1}`
  }:${str(container.name) ?? containerPath[containerPath.length - 1]}`;

  if (name === 'etcd') readEtcdEnv(doc, container, containerPath, settings);
  for (const occurrence of occurrences) settings.set(occurrence.name, toSetting(doc, argv, occurrence));

  // Findings about flags that are not set go on the list that holds the flags.
  const lastFlagWord = flagWords[flagWords.length - 1];
  const flagList = lastFlagWord ? argv.sources[lastFlagWord.source]!.list : firstList(container);
  const flagListPath = [...containerPath, flagList];
  const listNode = nodeAt(doc, flagListPath);
  const shellForm = argv.words.some((w) => argv.sources[w.source]!.value !== w.text && w.offset > 0);

  const image = str(container.image);
  const version = image ? imageVersion(image) : undefined;
  return {
    name,
    identity,
    file: doc.file,
    format: 'static-pod',
    ...componentDefaults(name),
    opaque: opaqueReason(name, settings),
    anchor: keySpanAt(doc, flagListPath),
    settings,
    version: version ? { value: version, at: keySpanAt(doc, [...containerPath, 'image']) } : undefined,
    mounts: containerMounts(container, volumes),
    addFlag:
      listNode && listNode.kind === 'seq' && !shellForm
        ? (flag, value) => appendToSequence(doc, listNode, `${flag}=${value}`)
        : undefined,
  };
}

/**
 * A config file the command line points to holds the rest of the settings: etcd ignores its flags
 * once given one, and the kubelet merges its flags over one. Until the file is read, absent
 * settings are not judged.
 */
export function opaqueReason(name: ComponentName, settings: Map<string, Setting>): string | undefined {
  if (name === 'etcd' && settings.has('--config-file')) return `etcd reads ${settings.get('--config-file')!.value}`;
  if (name === 'kubelet' && settings.has('--config')) return `the kubelet reads ${settings.get('--config')!.value}`;
  if (name === 'kube-proxy' && settings.has('--config')) return `kube-proxy reads ${settings.get('--config')!.value}`;
  return undefined;
}

function firstList(container: Obj): 'command' | 'args' {
  return Array.isArray(container.args) && !Array.isArray(container.command) ? 'args' : 'command';
}

/** `command` then `args`, as the kubelet joins them; a `sh -c "..."` script is split into its words. */
function containerArgv(doc: YamlDocument, container: Obj, containerPath: Path): Argv {
  const argv: Argv = { words: [], sources: [] };
  for (const list of ['command', 'args'] as const) {
    arr(container[list]).forEach((item, index) => {
      if (typeof item !== 'string') return;
      const source = argv.sources.length;
      argv.sources.push({ list, index, node: nodeAt(doc, [...containerPath, list, index]), value: item });
      argv.words.push({ text: item, source, offset: 0 });
    });
  }
  // `sh -c 'exec kube-apiserver --x=y …'`: the script holds the real command line.
  const first = argv.words[0];
  if (first && SHELLS.has(basename(first.text))) {
    const dashC = argv.words.findIndex((w) => w.text === '-c');
    const script = dashC >= 0 ? argv.words[dashC + 1] : undefined;
    if (script) {
      const words = shellWords(script.text, script.source).filter((w) => w.text !== 'exec');
      return { words, sources: argv.sources };
    }
  }
  return argv;
}

function toSetting(doc: YamlDocument, argv: Argv, flag: FlagOccurrence): Setting {
  const spanOfWord = (word: Word, offset = 0, length = word.text.length - offset): Span => {
    const source = argv.sources[word.source]!;
    if (!source.node) return { file: doc.file, start: 0, end: 0 };
    return partSpan(doc, source.node, source.value, word.offset + offset, length);
  };
  const first = spanOfWord(flag.words[0]!);
  const last = spanOfWord(flag.words[flag.words.length - 1]!);
  const at: Span = { file: doc.file, start: first.start, end: Math.max(first.end, last.end) };
  const valueAt = spanOfWord(flag.valueWord, flag.valueOffset, flag.value.length);
  const nameSpan = spanOfWord(flag.words[0]!);
  return {
    flag: flag.name,
    value: flag.value,
    at,
    valueAt: flag.bare ? undefined : valueAt,
    origin: 'explicit',
    unresolved: isPlaceholder(flag.value) || undefined,
    rewrite: (value) =>
      flag.bare ? replaceOnLine(nameSpan, `${flag.name}=${value}`) : replaceOnLine(valueAt, value),
  };
}

/** etcd reads `ETCD_<FLAG>` environment variables; a flag on the command line wins over them. */
function readEtcdEnv(doc: YamlDocument, container: Obj, containerPath: Path, settings: Map<string, Setting>): void {
  arr(container.env).forEach((entry, index) => {
    const name = str(get(entry, 'name'));
    const value = get(entry, 'value');
    if (!name?.startsWith('ETCD_') || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) {
      return;
    }
    const flag = '--' + name.slice(5).toLowerCase().replaceAll('_', '-');
    const text = String(value);
    const entryPath = [...containerPath, 'env', index];
    const valueNode = nodeAt(doc, [...entryPath, 'value']);
    const valueAt = valueNode ? { file: doc.file, start: valueNode.start, end: valueNode.end } : undefined;
    settings.set(flag, {
      flag,
      value: text,
      at: keySpanAt(doc, [...entryPath, 'name']),
      valueAt,
      origin: 'explicit',
      unresolved: isPlaceholder(text) || undefined,
      rewrite: valueAt ? (v) => replaceOnLine(valueAt, v) : undefined,
    });
  });
}

function hostPathVolumes(spec: Obj): Map<string, string> {
  const volumes = new Map<string, string>();
  for (const volume of arr(spec.volumes)) {
    const name = str(get(volume, 'name'));
    const hostPath = str(get(get(volume, 'hostPath'), 'path'));
    if (name && hostPath) volumes.set(name, hostPath);
  }
  return volumes;
}

function containerMounts(container: Obj, volumes: Map<string, string>): HostMount[] {
  const mounts: HostMount[] = [];
  for (const mount of arr(container.volumeMounts)) {
    const hostPath = volumes.get(str(get(mount, 'name')) ?? '');
    const mountPath = str(get(mount, 'mountPath'));
    if (hostPath && mountPath) mounts.push({ hostPath, mountPath });
  }
  return mounts;
}

function basename(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

/** `registry.k8s.io/kube-apiserver-amd64:v1.30.2` → `kube-apiserver`. */
function imageName(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const nameAndTag = withoutDigest.slice(lastSlash + 1);
  const name = nameAndTag.split(':')[0]!;
  return name.replace(/-(amd64|arm64|arm|ppc64le|s390x)$/, '');
}

/** The version in an image tag: `v1.30.2`, `1.30.2-0`, `v3.5.9`; undefined for `latest` or placeholders. */
export function imageVersion(image: string): string | undefined {
  const withoutDigest = image.split('@')[0]!;
  const colon = withoutDigest.lastIndexOf(':');
  if (colon < 0 || withoutDigest.indexOf('/', colon) >= 0) return undefined;
  const tag = withoutDigest.slice(colon + 1);
  const m = /^v?(\d+\.\d+(?:\.\d+)?)(?:[-+][0-9A-Za-z.-]+)?$/.exec(tag);
  return m ? m[1] : undefined;
}
