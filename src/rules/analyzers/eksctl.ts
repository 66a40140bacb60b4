import { keySpanAt, spanAt } from '../../extract/spans.js';
import { arr, get, isObj, str } from '../../util/values.js';
import { analyzerFinding, type Analyzer } from './index.js';

/**
 * eksctl `ClusterConfig`: EKS runs the control plane, so what the repository decides is the
 * provider's settings: a customer-managed KMS key for Secrets (`params.check: secrets-key`) and
 * control-plane audit logs (`audit-logs`).
 */
export const eksctl: Analyzer = (rule, params, model, _input, out) => {
  const check = params.check as 'secrets-key' | 'audit-logs';
  for (const scope of model.scopes) {
    for (const object of scope.objects) {
      if (object.kind !== 'ClusterConfig' || !object.apiVersion.startsWith('eksctl.io/')) continue;
      const name = str(get(object.value.metadata, 'name')) ?? 'cluster';
      const home = keySpanAt(object.doc, [...object.path, 'kind']);
      if (check === 'secrets-key' && !str(get(object.value.secretsEncryption, 'keyARN'))) {
        const detail = `the EKS cluster ${name} has no \`secretsEncryption.keyARN\`: its Secrets are encrypted with a key AWS holds, which you cannot rotate, revoke or audit`;
        out.push(analyzerFinding(rule, home, detail, `ClusterConfig/${name} secretsEncryption`));
      }
      if (check === 'audit-logs') {
        const logging = get(get(object.value, 'cloudWatch'), 'clusterLogging');
        const types = arr(get(logging, 'enableTypes')).map((t) => String(t));
        if (!types.some((t) => t === 'audit' || t === '*' || t === 'all')) {
          const at = isObj(logging) ? spanAt(object.doc, [...object.path, 'cloudWatch', 'clusterLogging']) : home;
          const detail = `the EKS cluster ${name} does not send control-plane \`audit\` logs to CloudWatch (\`cloudWatch.clusterLogging.enableTypes\`), so no record of API requests is kept`;
          out.push(analyzerFinding(rule, at, detail, `ClusterConfig/${name} audit-logs`));
        }
      }
    }
  }
};
