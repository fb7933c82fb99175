// The stripe-node functions that verify (or explicitly skip verifying) a webhook signature, with the
// positions of their arguments and their tolerance semantics. Source: stripe-node-facts.md §1.1–1.5.
//
// tolerance: 'construct'  → v8–v22 `tolerance || 300` (0 → 300, negative disables); v23+ `?? 300` (0 disables)
//            'header'     → v8–v22 `tolerance || 0` (omitted → NO timestamp check); v23+ `?? 300`
//            'notification' → `tolerance || 300` on every version (negative disables)

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
