// The list of rules: every rule's id, in the order `stripe-audit rules` lists them. The rule of id X is the
// default export of rules/X.ts, and rules/index.ts builds RULES from this list (the compiler fails when a
// module is missing, extra or carries another id). Plain data, so the CLI validates configuration and
// suppressions against it without loading the rules (and with them the TypeScript parser).
export const RULE_IDS = [
  'webhook-signature-unverified',
  'webhook-signature-bypass',
  'webhook-raw-body',
  'webhook-secret-hardcoded',
  'webhook-secret-fallback',
  'webhook-tolerance-disabled',
  'webhook-verification-unhandled',
  'webhook-event-not-deduplicated',
  'webhook-signature-handrolled',
  'webhook-sync-verify-on-edge',
  'idempotency-key-missing',
  'idempotency-key-constant',
  'idempotency-key-regenerated',
  'idempotency-key-reused',
  'idempotency-key-misplaced',
  'stripe-secret-key-hardcoded',
  'stripe-secret-key-client-exposed',
  'stripe-sdk-vulnerable',
  'stripe-sdk-outdated',
  'stripe-sdk-unpinned',
  'payment-amount-from-client',
  'webhook-fulfillment-unpaid',
] as const;

export type RuleId = (typeof RULE_IDS)[number];
