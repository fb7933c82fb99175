// The ids of every rule, in the order of rules/index.ts, as plain data: the CLI validates configuration and
// suppressions against them without loading the rules (and with them the TypeScript parser).
// test/rule-ids.test.ts checks that this list and RULES agree.
export const RULE_IDS: readonly string[] = [
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
];
