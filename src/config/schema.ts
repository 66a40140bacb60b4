import { COMPONENT_NAMES } from '../model/types.js';
import { BASELINE_NAMES } from '../findings/baselines.js';
import { AREAS, SEVERITIES } from '../rules/types.js';

const glob = { type: 'string', minLength: 1 };
const globs = { type: 'array', items: glob };
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' };
const version = { type: 'string', pattern: '^v?\\d+\\.\\d+(\\.\\d+)?$' };
const ruleId = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' };

/** JSON Schema of `.kubeharden.yml`; published as docs/config.schema.json for editors. */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://kubeharden.dev/schemas/config.json',
  title: 'kubeharden configuration (.kubeharden.yml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    preset: {
      description: 'recommended (default); strict (rules tagged strict become errors, notices become warnings); cis (only the rules that map to CIS checks).',
      enum: ['recommended', 'strict', 'cis'],
    },
    include: { ...globs, description: 'Glob patterns of the only files kubeharden reads (default: every file).' },
    exclude: { ...globs, description: 'Glob patterns (relative to the repository root) of files kubeharden does not read.' },
    rules: {
      description: 'Per rule id, `area:<area>` or `tag:<tag>`: "off", or the severity to report with. A rule id beats a tag, a tag beats an area.',
      type: 'object',
      // YAML 1.1 reads an unquoted `off` as the boolean false, so both spellings mean off.
      additionalProperties: { enum: ['off', false, ...SEVERITIES] },
    },
    'fail-on': {
      description: 'Lowest severity that fails the run (default: error).',
      enum: ['error', 'warning', 'notice', 'none'],
    },
    mode: {
      description: 'With a base (--base, or a pull request): fail on new findings only (default), or on all.',
      enum: ['new', 'all'],
    },
    'kubernetes-version': { ...version, description: 'Kubernetes version (X.Y or X.Y.Z) of every cluster that does not name its own.' },
    files: {
      description:
        'Where a file that a flag names (an absolute path on the host) is kept in the repository, e.g. {"/etc/kubernetes/enc.yaml": "clusters/prod/enc.yaml"}.',
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: { type: 'string', minLength: 1, pattern: '^[^/]' },
    },
    clusters: {
      description: 'The clusters the repository describes: cross-file facts (an etcd CA, the file a flag names) are looked up within one. Default: one per clusters/<name>/ folder, else the whole repository.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'paths'],
        properties: {
          name: { type: 'string', minLength: 1 },
          paths: { ...globs, minItems: 1 },
          'kubernetes-version': version,
          distribution: { enum: ['kubeadm', 'k3s', 'rke2'] },
        },
      },
    },
    exceptions: {
      description: 'Findings not to report, each with the reason and, optionally, the day the exception ends.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rules', 'reason'],
        properties: {
          rules: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          paths: globs,
          object: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { kind: { type: 'string' }, namespace: { type: 'string' }, name: { type: 'string' } },
          },
          subject: {
            description: 'For RBAC findings: the subject that holds the capability (a ServiceAccount without namespace: in any namespace).',
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'name'],
            properties: { kind: { enum: ['User', 'Group', 'ServiceAccount'] }, name: { type: 'string', minLength: 1 }, namespace: { type: 'string' } },
          },
          scope: { description: 'For RBAC findings: `cluster` (every namespace and cluster-wide) or one namespace.', type: 'string', minLength: 1 },
          reason: { type: 'string', minLength: 3 },
          until: date,
        },
      },
    },
    baselines: {
      description: 'Known controllers whose documented RBAC needs are not reported (see docs/rbac.md): a capability a baseline does not list still is.',
      type: 'array',
      items: { enum: [...BASELINE_NAMES] },
    },
    'custom-rules': {
      description: 'Rules of your own, written in CEL over each component (see docs/custom-rules.md).',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'area', 'severity', 'expression', 'message', 'remediation'],
        properties: {
          id: ruleId,
          title: { type: 'string', minLength: 3 },
          area: { enum: [...AREAS] },
          severity: { enum: [...SEVERITIES] },
          components: { type: 'array', minItems: 1, items: { enum: [...COMPONENT_NAMES] } },
          flag: { type: 'string', pattern: '^--[a-z0-9][a-z0-9-]*$' },
          expression: { type: 'string', minLength: 1 },
          message: { type: 'string', minLength: 3 },
          remediation: { type: 'string', minLength: 3 },
        },
      },
    },
  },
} as const;
