import data from '../../data/removed-flags.json' with { type: 'json' };
import { effectiveVersion, versionPhrase, type EffectiveVersion } from '../../model/cluster-version.js';
import type { Component, ComponentName } from '../../model/types.js';
import { compareMinor, minorText, parseVersion } from '../../model/versions.js';
import { settingItems } from '../setting-spans.js';
import { analyzerFinding, type Analyzer } from './index.js';

interface RemovedFlag {
  components: string[];
  flag: string;
  /** Only this entry of a list flag was removed (an admission plugin). */
  listEntry?: string;
  /** Only values outside this list were removed. */
  valueNotIn?: string[];
  removedIn: string;
  versionOf: 'kubernetes' | 'etcd';
}

const REMOVED = data.flags as RemovedFlag[];

/**
 * Flags (and flag values) a component no longer accepts at the version it runs: it refuses to
 * start with an unknown flag, so the setting breaks the control plane instead of hardening it.
 */
export const removedFlags: Analyzer = (rule, _params, model, input, out) => {
  for (const scope of model.scopes) {
    for (const component of scope.components) {
      const version = component.name === 'etcd' ? etcdVersion(component) : effectiveVersion(component, scope, input.kubernetesVersion);
      if (!version) continue;
      for (const removed of REMOVED) {
        if (!removed.components.includes(component.name as ComponentName)) continue;
        if (compareMinor(version.version, removed.removedIn) < 0) continue;
        const setting = component.settings.get(removed.flag);
        if (!setting || setting.origin !== 'explicit' || setting.unresolved) continue;
        const at = component.name === 'etcd' ? `etcd ${minorText(version.version)}` : versionPhrase(version);
        const identity = `${component.identity} ${removed.flag}`;
        if (removed.listEntry) {
          const item = settingItems(setting).find((i) => i.key === removed.listEntry);
          if (!item) continue;
          const detail = `\`${removed.listEntry}\` in \`${removed.flag}\` was removed in ${removed.removedIn}; at ${at} ${component.name} does not start with it`;
          out.push(analyzerFinding(rule, item.at, detail, `${identity}[${removed.listEntry}]`));
        } else if (removed.valueNotIn) {
          if (removed.valueNotIn.includes(setting.value)) continue;
          const allowed = removed.valueNotIn.map((v) => (v ? `\`${v}\`` : 'empty')).join(' or ');
          const detail = `\`${removed.flag}=${setting.value}\`: since ${removed.removedIn} the value must be ${allowed}; at ${at} ${component.name} does not start`;
          out.push(analyzerFinding(rule, setting.at, detail, identity));
        } else {
          const detail = `\`${removed.flag}\` was removed in ${removed.versionOf === 'etcd' ? 'etcd ' : ''}${removed.removedIn}; at ${at} ${component.name} does not start with it`;
          out.push(analyzerFinding(rule, setting.at, detail, identity));
        }
      }
    }
  }
};

/** etcd's own version, from its image tag; etcd flags are judged only when it is written. */
function etcdVersion(component: Component): EffectiveVersion | undefined {
  const version = component.version && parseVersion(component.version.value);
  return version ? { version, at: component.version!.at, how: 'written' } : undefined;
}
