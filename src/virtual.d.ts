declare module 'virtual:kubeharden-rules' {
  import type { Rule } from './rules/types.js';
  const rules: Rule[];
  export default rules;
}

declare module 'virtual:kubeharden-config-validators' {
  import type { ErrorObject } from 'ajv';
  interface Validator {
    (data: unknown): boolean;
    errors?: ErrorObject[] | null;
  }
  /** By `apiVersion kind`. */
  export const VALIDATORS: Record<string, Validator>;
}
