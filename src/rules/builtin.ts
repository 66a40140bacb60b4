import catalogue from 'virtual:kubeharden-rules';
import type { Rule } from './types.js';

/**
 * The built-in rules, compiled from rules/<id>/rule.yaml when the bundle is built (and when the
 * tests start): a rule file that does not validate fails the build, so dist/ only ever carries a
 * catalogue that loaded.
 */
export const BUILTIN_RULES: readonly Rule[] = catalogue;
