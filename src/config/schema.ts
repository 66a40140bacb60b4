/** JSON Schema of `.kubeharden.yml`; published as docs/config.schema.json for editors. */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://kubeharden.dev/schemas/config.json',
  title: 'kubeharden configuration (.kubeharden.yml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    exclude: {
      description: 'Glob patterns (relative to the repository root) of files kubeharden does not read.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
    },
    rules: {
      description: 'Per rule id: "off", or the severity to report it with.',
      type: 'object',
      // YAML 1.1 reads an unquoted `off` as the boolean false, so both spellings mean off.
      additionalProperties: { enum: ['off', false, 'error', 'warning', 'notice'] },
    },
    'fail-on': {
      description: 'Lowest severity that fails the run (default: error).',
      enum: ['error', 'warning', 'notice', 'none'],
    },
    files: {
      description:
        'Where a file that a flag names (an absolute path on the host) is kept in the repository, e.g. {"/etc/kubernetes/enc.yaml": "clusters/prod/enc.yaml"}.',
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: { type: 'string', minLength: 1, pattern: '^[^/]' },
    },
    'kubernetes-version': {
      description: 'Kubernetes version (X.Y or X.Y.Z) to judge version-dependent rules for.',
      type: 'string',
      pattern: '^v?\\d+\\.\\d+(\\.\\d+)?$',
    },
  },
} as const;
