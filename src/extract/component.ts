import defaultsData from '../data/component-defaults.json' with { type: 'json' };
import distributionData from '../data/distribution-settings.json' with { type: 'json' };
import type { ComponentName, Distribution, Setting } from '../model/types.js';
import type { Span } from '../parse/source-file.js';

type Profile = keyof typeof defaultsData.profiles;

/**
 * The defaults a program applies to flags that are not set. The kubelet has two sets: with only
 * flags (`kubelet-flags`) its authorization is AlwaysAllow and its read-only port is open; with a
 * KubeletConfiguration file (`kubelet-config-file`) both are closed.
 */
export function componentDefaults(name: ComponentName, mode: 'flags' | 'config-file' = 'flags'): {
  defaults: ReadonlyMap<string, string>;
  defaultsBy: string;
} {
  const profile: Profile = name === 'kubelet' ? (mode === 'config-file' ? 'kubelet-config-file' : 'kubelet-flags') : (name as Profile);
  const values = (defaultsData.profiles as Record<string, Record<string, string>>)[profile] ?? {};
  return {
    defaults: new Map(Object.entries(values)),
    defaultsBy: profile === 'kubelet-config-file' ? 'KubeletConfiguration' : name,
  };
}

/** Placeholders in distribution settings: `{pki}`, `{address}`, `{agent}`. */
export interface DistributionVars {
  pki: string;
  address?: string | undefined;
  agent?: string | undefined;
}

/**
 * The flags a distribution writes for a component when the user does not, as settings of origin
 * `default` placed on `at` (the block that would override them). `section` picks a subset such as
 * k3s's `etcd-client` (the API server's flags towards embedded etcd).
 */
export function distributionSettings(
  distribution: Distribution,
  section: ComponentName | 'etcd-client',
  vars: DistributionVars,
  at: Span,
): Setting[] {
  const table = (distributionData as unknown as Record<string, Record<string, Record<string, string>>>)[
    distribution === 'rke2' ? 'k3s' : distribution
  ];
  const flags = table?.[section] ?? {};
  return Object.entries(flags).map(([flag, template]) => ({
    flag,
    value: template
      .replaceAll('{pki}', vars.pki)
      .replaceAll('{address}', vars.address ?? '<advertise-address>')
      .replaceAll('{agent}', vars.agent ?? vars.pki),
    at,
    origin: 'default' as const,
    defaultBy: distribution === 'rke2' ? 'RKE2' : distribution,
  }));
}

/** Adds settings to a map, a later one replacing an earlier one of the same flag (the last flag wins). */
export function putAll(settings: Map<string, Setting>, list: Iterable<Setting>): void {
  for (const s of list) settings.set(s.flag, s);
}
