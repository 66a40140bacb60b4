import { parseBool } from '../flag-eval.js';
import { settingItems } from '../setting-spans.js';
import { analyzerFinding, type Analyzer } from './index.js';

/**
 * `--runtime-config` entries that turn on API versions the API server leaves off: `api/all` and
 * `api/alpha`, or a group version named `…alpha…` (`params.stage: alpha`); `api/beta` or a
 * `…beta…` version (`params.stage: beta`; beta APIs have been off by default since 1.24).
 */
export const runtimeConfig: Analyzer = (rule, params, model, _input, out) => {
  const stage = params.stage as 'alpha' | 'beta';
  for (const scope of model.scopes) {
    for (const component of scope.components) {
      if (component.name !== 'kube-apiserver') continue;
      const setting = component.settings.get('--runtime-config');
      if (!setting || setting.origin !== 'explicit' || setting.unresolved) continue;
      for (const item of settingItems(setting)) {
        // A key without a value, or with one that is not false, turns the API on.
        if (item.value !== undefined && parseBool(item.value) === false) continue;
        const what = classify(item.key);
        if (what?.stage !== stage) continue;
        out.push(analyzerFinding(rule, item.at, `\`${item.text}\` ${what.text}`, `${component.identity} --runtime-config[${item.key}]`));
      }
    }
  }
};

function classify(key: string): { stage: 'alpha' | 'beta'; text: string } | undefined {
  if (key === 'api/all') return { stage: 'alpha', text: 'turns on every API version, alpha ones included' };
  if (key === 'api/alpha') return { stage: 'alpha', text: 'turns on every alpha API version' };
  if (key === 'api/beta') return { stage: 'beta', text: 'turns on every beta API version' };
  // `group/version`, `group/version/resource`, or the core group's bare `v1`.
  const parts = key.split('/');
  const version = (parts.length > 1 ? parts[1] : parts[0]) ?? '';
  if (/^v\d+alpha\d+$/.test(version)) return { stage: 'alpha', text: `turns on the alpha API version ${version}` };
  if (/^v\d+beta\d+$/.test(version)) return { stage: 'beta', text: `turns on the beta API version ${version}` };
  return undefined;
}
