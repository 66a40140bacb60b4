declare module 'virtual:kubeharden-rules' {
  import type { Rule } from './rules/types.js';
  const rules: Rule[];
  export default rules;
}
