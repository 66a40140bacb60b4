import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { Component, ComponentName, ClusterScope } from '../model/types.js';
import type { Area, Rule, Severity } from './types.js';

/** A custom rule as written under `custom-rules:` in .kubeharden.yml. */
export interface CustomRuleSpec {
  id: string;
  title: string;
  area: Area;
  severity: Severity;
  components?: ComponentName[];
  flag?: string;
  expression: string;
  message: string;
  remediation: string;
}

/** A CEL expression that does not parse: the column is 1-based within the expression. */
export class CelSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

const env = celEnv({ funcs: strings });

/**
 * Compiles a custom rule. The expression sees `component` and `scope` (docs/custom-rules.md) and
 * must evaluate to true for each component the rule applies to; false is a finding.
 */
export function compileCustomRule(spec: CustomRuleSpec, definedIn: string): Rule {
  let program: ReturnType<typeof plan>;
  try {
    program = plan(env, parse(spec.expression));
  } catch (error) {
    const e = error as { rawMessage?: string; message: string; location?: { start?: { offset?: number } } };
    const column = (e.location?.start?.offset ?? 0) + 1;
    throw new CelSyntaxError(e.rawMessage ?? e.message.replace(/^<input>:\d+:\d+: /, ''), column);
  }
  return {
    id: spec.id,
    title: spec.title,
    area: spec.area,
    severity: spec.severity,
    description: `A custom rule of this repository (${definedIn}): \`${spec.expression}\`.`,
    references: { chapter: [], docs: [] },
    ...(spec.components ? { match: { components: spec.components } } : {}),
    check: {
      kind: 'cel',
      expression: spec.expression,
      flag: spec.flag,
      evaluate: (bindings) => {
        const result = program(bindings as Parameters<typeof program>[0]);
        if (isCelError(result)) return result.message;
        return result === true ? true : result === false ? false : `the expression returned ${String(result)}, not true or false`;
      },
    },
    checkSpec: { expression: spec.expression },
    message: spec.message,
    remediation: spec.remediation,
    definedIn,
  };
}

/** What a CEL expression sees of a component and its cluster (documented in docs/custom-rules.md). */
export function celBindings(component: Component, scope: ClusterScope): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [flag, s] of component.settings) {
    settings[flag] = { value: s.value, origin: s.origin, configKey: s.configKey ?? '', unresolved: s.unresolved === true };
  }
  return {
    component: {
      name: component.name,
      format: component.format,
      distribution: component.distribution ?? '',
      file: component.file.path,
      version: component.version?.value ?? '',
      opaque: component.opaque !== undefined,
      settings,
    },
    scope: { name: scope.name, components: scope.components.map((c) => c.name) },
  };
}
