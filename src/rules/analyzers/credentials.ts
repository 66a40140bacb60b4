import { spanAt } from '../../extract/spans.js';
import { toNumber } from '../flag-eval.js';
import { get, str } from '../../util/values.js';
import { analyzerFinding, type Analyzer } from './index.js';

/**
 * Credentials written as objects: Secrets that hold long-lived service-account tokens
 * (`params.check: sa-token-secret`), and cert-manager Certificates valid for longer than
 * `params.maxDuration` (`certificate-duration`; cert-manager's own default is 90 days).
 */
export const credentials: Analyzer = (rule, params, model, _input, out) => {
  const check = params.check as 'sa-token-secret' | 'certificate-duration';
  const max = typeof params.maxDuration === 'string' ? params.maxDuration : '8760h';
  const maxSeconds = toNumber(max) ?? Infinity;
  for (const scope of model.scopes) {
    for (const object of scope.objects) {
      const name = `${str(get(object.value.metadata, 'namespace')) ?? 'default'}/${str(get(object.value.metadata, 'name')) ?? ''}`;
      if (check === 'sa-token-secret' && object.kind === 'Secret' && object.value.type === 'kubernetes.io/service-account-token') {
        const account = str(get(get(object.value.metadata, 'annotations'), 'kubernetes.io/service-account.name'));
        const detail = `the Secret ${name} holds a token for ${account ? `the service account \`${account}\`` : 'a service account'} that never expires and works until the Secret is deleted`;
        out.push(analyzerFinding(rule, spanAt(object.doc, [...object.path, 'type']), detail, `Secret/${name} token`));
      }
      if (check === 'certificate-duration' && object.kind === 'Certificate') {
        const duration = str(get(object.value.spec, 'duration'));
        const seconds = duration ? toNumber(duration) : undefined;
        if (duration && seconds !== undefined && seconds > maxSeconds) {
          const detail = `the Certificate ${name} is valid for \`${duration}\`, longer than ${max}; a stolen key stays usable that long`;
          out.push(analyzerFinding(rule, spanAt(object.doc, [...object.path, 'spec', 'duration']), detail, `Certificate/${name} duration`));
        }
      }
    }
  }
};
