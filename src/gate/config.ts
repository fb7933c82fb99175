// Configuration: stripe-audit.config.json (or a "stripe-audit" key in package.json). JSON only:
// the scanned repository's code is never executed.
import type { RuleLevel } from '../types.js';

export interface ResolvedConfig {
  /** Per-rule level overrides. */
  rules: Record<string, RuleLevel>;
  /** Extra glob patterns to skip, in addition to .gitignore. */
  ignore: string[];
  includeTests: boolean;
  /** Report "other POST" Stripe calls without idempotency keys as warnings. */
  strict: boolean;
  /** Names of the project's own functions that verify webhook signatures. */
  verifiers: string[];
  /** Extra Stripe methods (resource.method) treated as money-moving. */
  moneyMethods: string[];
  registry?: string;
  /** Where the config came from (for messages). */
  source?: string;
}

export const DEFAULT_CONFIG: ResolvedConfig = {
  rules: {},
  ignore: [],
  includeTests: false,
  strict: false,
  verifiers: [],
  moneyMethods: [],
};
