// The stripe-node functions that verify (or explicitly skip verifying) a webhook signature, with the
// positions of their arguments and their tolerance semantics.
//
// Sources (stripe-node, https://github.com/stripe/stripe-node; v23 from the published stripe@23.1.0):
// - webhooks.constructEvent(Async), webhooks.signature.verifyHeader(Async), constructEventWithoutVerification:
//   src/Webhooks.ts at tag v22.5.0 and cjs/Webhooks.js in stripe@23.1.0. Signed content `${t}.${payload}`,
//   HMAC-SHA256, compared with `secureCompare`; DEFAULT_TOLERANCE 300.
// - parseThinEvent: src/stripe.core.ts at v17.0.0; renamed parseEventNotification in 19.0.0 (CHANGELOG.md).
//   parseEventNotification(Async), parseEventNotificationWithoutVerification, notificationHandler(WithoutVerification):
//   src/stripe.core.ts at v22.5.0 and cjs/stripe.core.js in stripe@23.1.0; the handler verifies through
//   parseEventNotification (src/StripeEventNotificationHandler.ts). fetchEvent: cjs/resources/V2/Core/Events.d.ts.
// - The instance method stripe.constructEventWithoutVerification was removed in 23.0.0 (#2862).
// - Re-fetching the event by id instead of checking the signature: https://docs.stripe.com/api/events/retrieve.
//
// tolerance: 'construct'  → v8–v22 `tolerance || 300` (0 → 300, negative disables); v23+ `?? 300` (0 disables)
//            'header'     → v8–v22 `tolerance || 0` (omitted → NO timestamp check); v23+ `?? 300`
//            'notification' → `tolerance || 300` on every version (negative disables)
// (v22.5.0 src/Webhooks.ts `tolerance || Webhook.DEFAULT_TOLERANCE` / `tolerance || 0`; the v23 change is
// #2876 in CHANGELOG.md; the check itself is `tolerance > 0 && timestampAge > tolerance`, cjs/Webhooks.js.)

export type ToleranceSemantics = 'construct' | 'header' | 'notification';

export interface VerifierSpec {
  /** The property chain that ends the callee: ['webhooks', 'constructEvent']. */
  path: string[];
  verifies: boolean;
  payload?: number;
  header?: number;
  secret?: number;
  tolerance?: number;
  semantics?: ToleranceSemantics;
  /** Throws on a bad signature (and so needs handling to answer 4xx). */
  throws: boolean;
  /** Verifies by fetching the event from Stripe, not by a signature: there is no raw body to judge. */
  refetch?: boolean;
}

export const VERIFIERS: VerifierSpec[] = [
  { path: ['webhooks', 'constructEvent'], verifies: true, payload: 0, header: 1, secret: 2, tolerance: 3, semantics: 'construct', throws: true },
  { path: ['webhooks', 'constructEventAsync'], verifies: true, payload: 0, header: 1, secret: 2, tolerance: 3, semantics: 'construct', throws: true },
  { path: ['webhooks', 'signature', 'verifyHeader'], verifies: true, payload: 0, header: 1, secret: 2, tolerance: 3, semantics: 'header', throws: true },
  { path: ['webhooks', 'signature', 'verifyHeaderAsync'], verifies: true, payload: 0, header: 1, secret: 2, tolerance: 3, semantics: 'header', throws: true },
  { path: ['parseThinEvent'], verifies: true, payload: 0, header: 1, secret: 2, tolerance: 3, semantics: 'construct', throws: true },
  { path: ['parseEventNotification'], verifies: true, payload: 0, header: 1, secret: 2, tolerance: 3, semantics: 'notification', throws: true },
  { path: ['parseEventNotificationAsync'], verifies: true, payload: 0, header: 1, secret: 2, tolerance: 3, semantics: 'notification', throws: true },
  { path: ['notificationHandler'], verifies: true, secret: 0, throws: false },
  // Re-fetching the event from the API (by the id the body names) is the documented alternative to
  // checking the signature: only what Stripe returns is acted on.
  { path: ['events', 'retrieve'], verifies: true, throws: false, refetch: true },
  { path: ['fetchEvent'], verifies: true, throws: false, refetch: true },
  { path: ['webhooks', 'constructEventWithoutVerification'], verifies: false, payload: 0, throws: false },
  { path: ['constructEventWithoutVerification'], verifies: false, payload: 0, throws: false },
  { path: ['parseEventNotificationWithoutVerification'], verifies: false, payload: 0, throws: false },
  { path: ['notificationHandlerWithoutVerification'], verifies: false, throws: false },
];

/** The signature header Stripe sends (HTTP header names are case-insensitive). */
export const SIGNATURE_HEADER = 'stripe-signature';
