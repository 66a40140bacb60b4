import { COMPONENT_NAMES } from '../model/types.js';
import { AREAS, FLAG_OPS, SEVERITIES } from './types.js';

const flagValue = {
  anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }],
};
const flagName = { type: 'string', pattern: '^--[a-z0-9][a-z0-9-]*$' };
const component = { enum: [...COMPONENT_NAMES] };
const other = {
  type: 'object',
  additionalProperties: false,
  required: ['flag'],
  properties: { component, flag: flagName },
};
const absent = { enum: ['fail', 'pass', 'default'] };

const condition = {
  type: 'object',
  additionalProperties: false,
  required: ['flag', 'op'],
  properties: {
    flag: flagName,
    gate: { type: 'string' },
    aliases: { type: 'array', items: flagName },
    op: { enum: [...FLAG_OPS] },
    value: flagValue,
    other,
    absent,
  },
};

/** JSON Schema of rules/<id>/rule.yaml (also published as docs/rule.schema.json). */
export const RULE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://kubeharden.dev/schemas/rule.json',
  title: 'kubeharden rule',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'area', 'severity', 'description', 'references', 'check', 'message', 'remediation'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    aliases: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' } },
    title: { type: 'string', pattern: '^(Disallow|Require|Limit|Report) ' },
    area: { enum: [...AREAS] },
    severity: { enum: [...SEVERITIES] },
    tags: { type: 'array', items: { type: 'string' } },
    description: { type: 'string', minLength: 20 },
    references: {
      type: 'object',
      additionalProperties: false,
      required: ['chapter', 'docs'],
      properties: {
        cis: { type: 'array', items: { type: 'string', pattern: '^\\d+(\\.\\d+)+$' } },
        chapter: { type: 'array', minItems: 1, items: { type: 'string' } },
        docs: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^https://' } },
      },
    },
    match: {
      type: 'object',
      additionalProperties: false,
      required: ['components'],
      properties: {
        components: { type: 'array', minItems: 1, items: component },
        exceptDistributions: { type: 'array', items: { enum: ['kubeadm', 'k3s', 'rke2'] } },
        kubernetes: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            from: { type: 'string', pattern: '^1\\.\\d+$' },
            before: { type: 'string', pattern: '^1\\.\\d+$' },
          },
        },
      },
    },
    check: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['analyzer'],
          properties: { analyzer: { type: 'string' }, params: { type: 'object' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          anyOf: [{ required: ['cis'] }, { required: ['flag', 'op'] }, { required: ['flags', 'op'] }, { required: ['anyOf'] }],
          properties: {
            cis: { type: 'string' },
            flag: flagName,
            flags: { type: 'array', minItems: 1, items: flagName },
            gate: { type: 'string' },
            aliases: { type: 'array', items: flagName },
            op: { enum: [...FLAG_OPS] },
            value: flagValue,
            other,
            absent,
            when: { type: 'array', items: condition },
            anyOf: { type: 'array', minItems: 2, items: condition },
          },
        },
      ],
    },
    // An analyzer's {detail} is a whole sentence; a flag rule's message must say something itself.
    message: { type: 'string', anyOf: [{ minLength: 10 }, { pattern: '\\{detail\\}' }] },
    remediation: { type: 'string', pattern: '\\.$' },
    fix: {
      oneOf: [
        { type: 'object', additionalProperties: false, required: ['set'], properties: { set: { type: 'string' } } },
        { type: 'object', additionalProperties: false, required: ['list'], properties: { list: { const: true } } },
      ],
    },
    deviation: { type: 'string' },
  },
} as const;
