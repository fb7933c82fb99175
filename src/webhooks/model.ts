// What the webhook analysis knows about each HTTP entry point and each verification call.
import type { ts } from '#typescript';
import type { ParsedFile } from '../parse.js';
import type { HandlerEntry } from '../frameworks/types.js';
import type { VerifierSpec } from '../../rules/stripe-verifiers.js';
import type { HandrolledOnPath } from './handrolled.js';

export interface VerificationCall {
  file: ParsedFile;
  node: ts.CallExpression;
  spec: VerifierSpec | 'custom';
  verifies: boolean;
  payload?: ts.Expression;
  secret?: ts.Expression;
  tolerance?: ts.Expression;
}

/** A function reached from a handler: the handler itself, a helper it calls, or a route middleware. */
export interface Reached {
  fn: ts.FunctionLikeDeclaration;
  /** The call in the parent that reached it (undefined for the handler and middlewares). */
  via?: ts.CallExpression;
  parent?: Reached;
}

export interface PayloadJudgement {
  problem: string;
  /** 'wiring' problems come from the framework setup, 'payload' ones from the argument itself. */
  kind: 'payload' | 'wiring';
}

export interface WebhookHandler {
  entry: HandlerEntry;
  /** Evidence that this handler acts on Stripe events (empty: not a Stripe webhook handler). */
  signals: string[];
  reached: Reached[];
  /** Verification calls on any path of the handler (its body, helpers, route middlewares). */
  verifications: Array<VerificationCall & { reached: Reached }>;
  /** Why a verified handler still acts on unverified input (fail-open), if it does. */
  bypass?: string;
  /** The handler hands the signature to code the tool cannot see (assume it verifies). */
  opaqueVerification: boolean;
  /** Reads the verified event's id. */
  readsEventId: boolean;
  /** Does anything besides logging and answering (a write, a call into the app): redelivery then repeats it. */
  hasEffects: boolean;
  /** Per verification call: the raw-body problem, if any. */
  rawBody: Map<ts.CallExpression, PayloadJudgement>;
  /** Verification calls whose exception nothing handles. */
  unhandled: ts.CallExpression[];
  /** Hand-written Stripe signature checks on the handler's path (they verify; see handrolled.ts). */
  handrolled: HandrolledOnPath[];
}
