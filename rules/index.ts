// The rule index: every rule module, in the order `stripe-audit rules` lists them.
import type { Rule } from '../src/rule.js';
import webhookSignatureUnverified from './webhook-signature-unverified.js';
import webhookSignatureBypass from './webhook-signature-bypass.js';
import webhookRawBody from './webhook-raw-body.js';
import webhookSecretHardcoded from './webhook-secret-hardcoded.js';
import webhookSecretFallback from './webhook-secret-fallback.js';
import webhookToleranceDisabled from './webhook-tolerance-disabled.js';
import webhookVerificationUnhandled from './webhook-verification-unhandled.js';
import webhookEventNotDeduplicated from './webhook-event-not-deduplicated.js';
import webhookSignatureHandrolled from './webhook-signature-handrolled.js';
import webhookSyncVerifyOnEdge from './webhook-sync-verify-on-edge.js';
import idempotencyKeyMissing from './idempotency-key-missing.js';
import idempotencyKeyConstant from './idempotency-key-constant.js';
import idempotencyKeyRegenerated from './idempotency-key-regenerated.js';
import idempotencyKeyReused from './idempotency-key-reused.js';
import idempotencyKeyMisplaced from './idempotency-key-misplaced.js';
import stripeSecretKeyHardcoded from './stripe-secret-key-hardcoded.js';
import stripeSecretKeyClientExposed from './stripe-secret-key-client-exposed.js';
import stripeSdkVulnerable from './stripe-sdk-vulnerable.js';
import stripeSdkOutdated from './stripe-sdk-outdated.js';
import stripeSdkUnpinned from './stripe-sdk-unpinned.js';
import paymentAmountFromClient from './payment-amount-from-client.js';
import webhookFulfillmentUnpaid from './webhook-fulfillment-unpaid.js';

export const RULES: Rule[] = [
  webhookSignatureUnverified,
  webhookSignatureBypass,
  webhookRawBody,
  webhookSecretHardcoded,
  webhookSecretFallback,
  webhookToleranceDisabled,
  webhookVerificationUnhandled,
  webhookEventNotDeduplicated,
  webhookSignatureHandrolled,
  webhookSyncVerifyOnEdge,
  idempotencyKeyMissing,
  idempotencyKeyConstant,
  idempotencyKeyRegenerated,
  idempotencyKeyReused,
  idempotencyKeyMisplaced,
  stripeSecretKeyHardcoded,
  stripeSecretKeyClientExposed,
  stripeSdkVulnerable,
  stripeSdkOutdated,
  stripeSdkUnpinned,
  paymentAmountFromClient,
  webhookFulfillmentUnpaid,
];
