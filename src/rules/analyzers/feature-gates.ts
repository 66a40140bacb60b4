import type { RawFinding } from '../../findings/finding.js';
import { effectiveVersion, versionPhrase, type EffectiveVersion } from '../../model/cluster-version.js';
import { gateAt, knownGates, kubeadmGateAt, META_GATES, type GateFacts } from '../../model/feature-gates.js';
import type { Component, Setting } from '../../model/types.js';
import { nearest } from '../../util/nearest.js';
import { parseBool } from '../flag-eval.js';
import { settingItems, type SettingItem } from '../setting-spans.js';
import type { Rule } from '../types.js';
import { analyzerFinding, type Analyzer } from './index.js';

/** Which of the gate findings a rule reports (`params.finding`). */
type GateFinding = 'alpha' | 'beta-changed' | 'deprecated' | 'rejected' | 'ga-default';

/**
 * Judges every entry of every component's `--feature-gates` (and the config-file fields read as
 * it) against what the gate is at the version that component runs.
 */
export const featureGates: Analyzer = (rule, params, model, input, out) => {
  const wanted = params.finding as GateFinding;
  for (const scope of model.scopes) {
    for (const component of scope.components) {
      const setting = component.settings.get('--feature-gates');
      if (!setting || setting.origin !== 'explicit' || setting.unresolved || component.name === 'etcd') continue;
      const version = effectiveVersion(component, scope, input.kubernetesVersion);
      const facts = component.name === 'kubeadm' ? kubeadmGateAt : gateAt;
      for (const item of settingItems(setting)) {
        const detail = judge(item, version, wanted, facts);
        if (detail) out.push(finding(rule, component, setting, item, detail));
      }
    }
  }
};

function finding(rule: Rule, component: Component, setting: Setting, item: SettingItem, detail: string): RawFinding {
  return analyzerFinding(rule, item.at, detail, `${component.identity} ${setting.flag}[${item.key}]`);
}

/** The sentence for one gate entry when it is the kind of finding asked for, else undefined. */
function judge(item: SettingItem, version: EffectiveVersion, wanted: GateFinding, factsOf: typeof gateAt): string | undefined {
  const at = versionPhrase(version);
  const written = `\`${item.text}\``;
  const enabled = item.value === undefined ? undefined : parseBool(item.value);
  if (enabled === undefined) {
    return wanted === 'rejected' ? `${written} is not \`Name=true\` or \`Name=false\`; the component does not start` : undefined;
  }
  if (META_GATES.has(item.key) && factsOf === gateAt) return metaGate(item.key, enabled, written, at, wanted);
  const facts: GateFacts = factsOf(item.key, version.version);
  switch (facts.kind) {
    case 'removed':
      return wanted === 'rejected'
        ? `${written}: the gate was removed in ${facts.since}, and at ${at} the component does not start with it`
        : undefined;
    case 'not-yet':
      return wanted === 'rejected'
        ? `${written}: the gate only exists from ${facts.first.from} (as ${facts.first.stage}), so at ${at} the component does not start with it`
        : undefined;
    case 'unknown': {
      if (wanted !== 'rejected') return undefined;
      const meant = nearest(item.key, knownGates(version.version));
      return `${written} is not a Kubernetes feature gate at ${at}, so the component does not start${meant ? `; did you mean \`${meant}\`?` : ''}`;
    }
    case 'uncertain':
      return undefined;
    case 'known': {
      const stage = `${facts.stage === 'stable' ? 'GA' : facts.stage} since ${facts.since}`;
      if (facts.locked && facts.default !== null && enabled !== facts.default) {
        return wanted === 'rejected'
          ? `${written}: the gate is locked to \`${facts.default}\` (${stage}) at ${at}, so the component does not start`
          : undefined;
      }
      if (facts.stage === 'alpha' && enabled) return wanted === 'alpha' ? `${written} turns on an alpha feature (${stage}, at ${at})` : undefined;
      if (facts.stage === 'beta' && facts.default !== null && enabled !== facts.default) {
        return wanted === 'beta-changed'
          ? `${written} ${enabled ? 'turns on a beta feature that is off by default' : 'turns off a beta feature that is on by default'} (${stage}, at ${at})`
          : undefined;
      }
      if (facts.stage === 'deprecated') return wanted === 'deprecated' ? `${written} sets a deprecated gate (deprecated since ${facts.since}, at ${at})` : undefined;
      if (facts.stage === 'stable' && enabled === facts.default) {
        return wanted === 'ga-default' ? `${written} sets a GA gate to its default (${stage}, at ${at}); the gate goes away in a later release` : undefined;
      }
      return undefined;
    }
  }
}

function metaGate(name: string, enabled: boolean, written: string, at: string, wanted: GateFinding): string | undefined {
  if (name === 'AllAlpha' && enabled) return wanted === 'alpha' ? `${written} turns on every alpha feature (at ${at})` : undefined;
  if (name === 'AllBeta' && enabled) return wanted === 'beta-changed' ? `${written} turns on every beta feature, also those off by default (at ${at})` : undefined;
  return undefined;
}
