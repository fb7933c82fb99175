// The contract between the engine and a rule module in rules/.
// A rule reads the StripeModel and reports; it never prints, reads files or touches the network.
import type { Report, RuleMeta } from './types.js';
import type { StripeModel } from './model.js';
import type { ResolvedConfig } from './gate/config.js';

export interface RuleContext {
  readonly model: StripeModel;
  readonly config: ResolvedConfig;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}
