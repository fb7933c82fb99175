import semver from '../src/util/semver.js';
import type { Rule } from '../src/rule.js';
import { numericValue, rangeOf } from '../src/analysis/ast.js';

const ONE_HOUR = 3600;

const rule: Rule = {
  meta: {
    id: 'webhook-tolerance-disabled',
    defaultSeverity: 'error',
    title: 'Webhook replay protection switched off',
    docs: {
      summary: 'The tolerance argument disables the timestamp check, so captured webhooks can be replayed.',
      description: 'Reported at the tolerance argument when it is negative (disables the check on every version), 0 on stripe ≥23 (where `tolerance ?? 300` lets 0 through), or when `webhooks.signature.verifyHeader` is called without a tolerance on stripe <23 (its default there is no check). A tolerance over one hour is a warning. When the installed version is unknown the most dangerous plausible reading is assumed and the message says so.',
      why: 'A signed event captured once (a log, a proxy, a compromised network) can be sent again forever: refunds re-run, credits granted twice, subscriptions re-activated.',
      fix: 'Omit the tolerance (stripe uses 300 seconds) or pass a small positive number of seconds.',
      bad: 'stripe.webhooks.constructEvent(body, sig, secret, -1);',
      good: 'stripe.webhooks.constructEvent(body, sig, secret); // 300 s default',
    },
    tags: ['security', 'webhooks', 'external/cwe/cwe-294'],
    precision: 'high',
    securitySeverity: 7.0,
  },
  check(ctx) {
    for (const v of ctx.model.verifications) {
      if (!v.verifies || v.spec === 'custom' || !v.spec.semantics) continue;
      const found = ctx.model.stripeVersionFor(v.file.relPath);
      const major = found ? semver.major(found.version) : undefined;
      const versionText = found ? `stripe ${found.version}${found.fromRange ? ' (lowest version the declared range allows)' : ''}` : 'an unknown stripe version (assumed the most permissive)';
      if (!v.tolerance) {
        if (v.spec.semantics === 'header' && (major === undefined || major < 23)) {
          ctx.report({
            range: rangeOf(v.file, v.node),
            message: `webhooks.signature.verifyHeader without a tolerance skips the timestamp check on stripe <23 (${versionText}), so signed events can be replayed. Pass a tolerance such as 300 seconds.`,
            fix: 'Pass a tolerance in seconds (e.g. 300) as the fourth argument.',
          });
        }
        continue;
      }
      const value = numericValue(v.tolerance);
      if (value === undefined) continue;
      let problem: string | undefined;
      if (value < 0) problem = `a negative tolerance (${value}) disables the timestamp check on every stripe version`;
      else if (value === 0) {
        const zeroDisables = v.spec.semantics === 'header' || (v.spec.semantics === 'construct' && (major === undefined || major >= 23));
        if (zeroDisables) problem = `a tolerance of 0 disables the timestamp check on ${v.spec.semantics === 'header' ? 'every stripe version' : 'stripe ≥23'} (${versionText})`;
      }
      if (problem) {
        ctx.report({ range: rangeOf(v.file, v.tolerance), message: `Replay protection is off: ${problem}. Omit the tolerance (300 s default) or pass a small positive number of seconds.`, fix: 'Omit the tolerance or pass e.g. 300.' });
      } else if (value > ONE_HOUR) {
        ctx.report({ range: rangeOf(v.file, v.tolerance), severity: 'warning', message: `A tolerance of ${value} s keeps replayed events valid for over an hour; Stripe's default is 300 s.`, fix: 'Use the 300 s default.' });
      }
    }
  },
};
export default rule;
