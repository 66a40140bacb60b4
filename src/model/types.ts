import type { KubeObject } from '../extract/objects.js';
import type { Version } from './versions.js';
import type { SourceFile, Span } from '../parse/source-file.js';

/** The programs whose configuration kubeharden judges. */
export type ComponentName =
  | 'kube-apiserver'
  | 'etcd'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubelet'
  | 'kube-proxy'
  /** kubeadm itself: its own `featureGates` (ClusterConfiguration), judged as a component's. */
  | 'kubeadm';

export const COMPONENT_NAMES: readonly ComponentName[] = [
  'kube-apiserver',
  'etcd',
  'kube-controller-manager',
  'kube-scheduler',
  'kubelet',
  'kube-proxy',
  'kubeadm',
];

/** One certain edit of one line that fixes a finding. */
export interface LineFix {
  /** 1-based line to replace. */
  line: number;
  /** The full new text of that line (may contain line breaks when lines are added after it). */
  replacement: string;
}

/** A setting of a component, as the component will see it, with where it came from. */
export interface Setting {
  /** Flag name with leading dashes, e.g. `--anonymous-auth`. Config-file keys are mapped to it. */
  flag: string;
  /** The config-file key when the setting was written in a config file (e.g. `authentication.anonymous.enabled`). */
  configKey?: string | undefined;
  /** The value as the component receives it on its command line (`true` for a bare boolean flag). */
  value: string;
  /** Where the setting is written; for a default, the block that should set it. */
  at: Span;
  /** The range of the value alone, when it can be pinned (sub-entries such as feature gates use it). */
  valueAt?: Span | undefined;
  /** Written in the file, or supplied by a default. */
  origin: 'explicit' | 'default';
  /** For a default: who supplies it and on what authority, e.g. `kube-apiserver default`. */
  defaultBy?: string | undefined;
  /**
   * True when the value is a placeholder filled in later (`${VAR}`, `$(VAR)`, `{{ .x }}`): its
   * real value is unknown, so rules that compare values leave it alone.
   */
  unresolved?: boolean | undefined;
  /** Builds the one-line edit that sets this setting to another value, when the format allows it. */
  rewrite?: ((value: string) => LineFix | undefined) | undefined;
  /** Where each entry of a list value is written, when the entries are separate in the file (a YAML list or map). */
  entries?: { key: string; at: Span }[] | undefined;
}

export type ComponentFormat = 'static-pod' | 'kubeadm' | 'kubelet-config' | 'k3s' | 'systemd' | 'kind';
export type Distribution = 'kubeadm' | 'k3s' | 'rke2';

/** A hostPath volume mounted into a component's container (used to resolve file references). */
export interface HostMount {
  hostPath: string;
  mountPath: string;
}

/** One running instance of a component as the repository describes it. */
export interface Component {
  name: ComponentName;
  /**
   * Stable identity of the object and container (or unit) that runs it, independent of line
   * numbers, e.g. `Pod/kube-system/kube-apiserver:kube-apiserver`. Used in fingerprints.
   */
  identity: string;
  file: SourceFile;
  /** How the component is written down. */
  format: ComponentFormat;
  /** The distribution that writes part of its command line (kubeadm, k3s, RKE2), when there is one. */
  distribution?: Distribution | undefined;
  /**
   * What the program does with a flag that is not set (from src/data/component-defaults.json);
   * the kubelet's differ with and without a config file.
   */
  defaults: ReadonlyMap<string, string>;
  /** Who applies `defaults`, for messages ("kube-apiserver", "kubelet config file"). */
  defaultsBy: string;
  /**
   * Set when part of the configuration is somewhere kubeharden cannot read (an EnvironmentFile, a
   * config file that is not in the repository): settings that are not written are then not judged.
   */
  opaque?: string | undefined;
  /** Where a finding about a setting that is not written goes (the command/args key). */
  anchor: Span;
  /** A better place than `anchor` for particular flags (kubeadm's `etcd.external` for the etcd client files). */
  flagAnchors?: Map<string, Span> | undefined;
  /** Effective settings by flag name (a repeated flag: the last occurrence wins, as in pflag). */
  settings: Map<string, Setting>;
  /** Kubernetes (or etcd) version from the image tag, when one is written. */
  version?: { value: string; at: Span } | undefined;
  mounts: HostMount[];
  /** Builds the edit that adds a flag that is not set, when the format allows it. */
  addFlag?: ((flag: string, value: string) => LineFix | undefined) | undefined;
  /** The configuration files its path flags name, once resolved (see model/references.ts). */
  references?: Map<string, Reference> | undefined;
}

/** What a path flag (`--encryption-provider-config=/etc/…`) was found to point to. */
export type Reference =
  | { kind: 'encryption'; config: EncryptionConfig; how: ReferenceHow }
  | { kind: 'audit'; policy: AuditPolicy; how: ReferenceHow }
  | { kind: 'unresolved'; path: string; why: string };

/** How a reference was resolved, for messages that rely on it. */
export type ReferenceHow = 'mapping' | 'path' | 'only-one' | 'generated';

/** A key of an EncryptionConfiguration provider. */
export interface EncryptionKey {
  name: string;
  /** The base64 secret as written (undefined when the field is missing). */
  secret: string | undefined;
  at: Span;
  secretAt?: Span | undefined;
}

export interface EncryptionProvider {
  /** `identity`, `aescbc`, `aesgcm`, `secretbox`, `kms`, or whatever the file says. */
  type: string;
  at: Span;
  /** For `kms`: `v1` or `v2` (empty means v1). */
  kmsApiVersion?: string | undefined;
  keys: EncryptionKey[];
}

/** One entry of `resources`: which resources, and their providers in order. */
export interface EncryptionRule {
  resources: { name: string; at: Span }[];
  providers: EncryptionProvider[];
  at: Span;
}

/** An EncryptionConfiguration: in a file of the repository, or the one a distribution generates. */
export interface EncryptionConfig {
  file: SourceFile;
  /** Independent of lines, for fingerprints. */
  identity: string;
  /** The document's `kind` line (or, for a generated one, the option that turns it on). */
  at: Span;
  /** The pre-1.13 `kind: EncryptionConfig` / `apiVersion: v1` format. */
  legacy: boolean;
  /** The file is SOPS-encrypted (its values are not key material). */
  sops: boolean;
  rules: EncryptionRule[];
  /** Set when the configuration is written by a distribution rather than the repository (`k3s`). */
  generatedBy?: string | undefined;
}

export interface AuditRule {
  level: string;
  users: string[];
  userGroups: string[];
  verbs: string[];
  resources: { group: string; resources: string[]; resourceNames: string[] }[];
  namespaces: string[];
  nonResourceURLs: string[];
  omitStages: string[];
  /** The rule's `level` line. */
  at: Span;
}

/** An audit Policy (`audit.k8s.io/v1`). */
export interface AuditPolicy {
  file: SourceFile;
  identity: string;
  /** The document's `kind` line. */
  at: Span;
  /** The `rules` key (where a missing rule would be added). */
  rulesAt: Span;
  rules: AuditRule[];
  omitStages: string[];
}

/** A set of paths that together describe one cluster; cross-file facts are resolved inside it. */
export interface ClusterScope {
  name: string;
  /** Path prefixes (relative, forward slashes) that belong to the scope; empty = everything. */
  paths: string[];
  components: Component[];
  encryption: EncryptionConfig[];
  audit: AuditPolicy[];
  objects: KubeObject[];
  /** The cluster's version as .kubeharden.yml gives it (`clusters[].kubernetes-version`, or the global one). */
  kubernetesVersion?: Version | undefined;
  /** The cluster's distribution as .kubeharden.yml gives it. */
  distribution?: Distribution | undefined;
}

/** What extraction yields from the files, before scopes group it. */
export interface Extracted {
  components: Component[];
  encryption: EncryptionConfig[];
  audit: AuditPolicy[];
  /** Objects rules judge as they are (Secrets, cert-manager Certificates), with their positions kept. */
  objects: KubeObject[];
}

export interface Model {
  scopes: ClusterScope[];
}
