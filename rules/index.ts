// The rule index: the module of every id in rules/ids.ts, in that order.
import type { Rule } from '../src/rule.js';
import { RULE_IDS, type RuleId } from './ids.js';
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

/** Each rule's module under its id: the type says a module's `meta.id` is its key, and that every id has one. */
const BY_ID: { readonly [Id in RuleId]: Rule<Id> } = {
  'webhook-signature-unverified': webhookSignatureUnverified,
  'webhook-signature-bypass': webhookSignatureBypass,
  'webhook-raw-body': webhookRawBody,
  'webhook-secret-hardcoded': webhookSecretHardcoded,
  'webhook-secret-fallback': webhookSecretFallback,
  'webhook-tolerance-disabled': webhookToleranceDisabled,
  'webhook-verification-unhandled': webhookVerificationUnhandled,
  'webhook-event-not-deduplicated': webhookEventNotDeduplicated,
  'webhook-signature-handrolled': webhookSignatureHandrolled,
  'webhook-sync-verify-on-edge': webhookSyncVerifyOnEdge,
  'idempotency-key-missing': idempotencyKeyMissing,
  'idempotency-key-constant': idempotencyKeyConstant,
  'idempotency-key-regenerated': idempotencyKeyRegenerated,
  'idempotency-key-reused': idempotencyKeyReused,
  'idempotency-key-misplaced': idempotencyKeyMisplaced,
  'stripe-secret-key-hardcoded': stripeSecretKeyHardcoded,
  'stripe-secret-key-client-exposed': stripeSecretKeyClientExposed,
  'stripe-sdk-vulnerable': stripeSdkVulnerable,
  'stripe-sdk-outdated': stripeSdkOutdated,
  'stripe-sdk-unpinned': stripeSdkUnpinned,
  'payment-amount-from-client': paymentAmountFromClient,
  'webhook-fulfillment-unpaid': webhookFulfillmentUnpaid,
};

export const RULES: Rule[] = RULE_IDS.map((id) => BY_ID[id]);
