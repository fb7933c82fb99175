// The webhook facts: what the analysis (src/webhooks/analyze.ts) observed about each HTTP entry point that
// acts on Stripe events. The facts are neutral: they say what the code does (which calls verify, where their
// result goes, what guards them, where the payload comes from, what the handler writes), never whether that
// is a problem. Each rule in rules/webhook-*.ts decides and words its finding from them.
import type { ts } from '#typescript';
import type { ParsedFile } from '../analysis/parse.js';
import type { HandlerEntry } from '../frameworks/types.js';
import type { VerifierSpec } from '../../rules/knowledge/stripe-verifiers.js';
import type { HandrolledOnPath } from './handrolled.js';

/** A call that matches the verifier table (rules/knowledge/stripe-verifiers.ts) or a `verifiers` name from the config. */
export interface VerificationCall {
  file: ParsedFile;
  node: ts.CallExpression;
  spec: VerifierSpec | 'custom';
  /** False for the `*WithoutVerification` functions (they parse but check nothing). */
  verifies: boolean;
  payload?: ts.Expression;
  secret?: ts.Expression;
  tolerance?: ts.Expression;
}

/** A function reached from a handler: the handler itself, a helper it calls (in any file), or a route middleware. */
export interface Reached {
  fn: ts.FunctionLikeDeclaration;
  /** The call in the parent that reached it (undefined for the handler and middlewares). */
  via?: ts.CallExpression;
  parent?: Reached;
}

/**
 * Evidence that an entry point acts on Stripe events, in the order met (one per kind and event name).
 * An entry point with none is not a Stripe webhook handler and is not in `StripeModel.handlers`.
 */
export type EventShape =
  | { kind: 'verification'; verifies: boolean; node: ts.CallExpression }
  /** The string 'stripe-signature' (reading the header). */
  | { kind: 'signature-header'; node: ts.Node }
  /** A Stripe event name in a comparison-like position (`===`, `case`, `.on('…')`, array, object key). */
  | { kind: 'event-type-compared'; name: string; node: ts.Node }
  /** `<x>.data.object`. */
  | { kind: 'data-object'; node: ts.Node }
  /** The type `Stripe.Event` (in the body or on the handler's parameters). */
  | { kind: 'stripe-event-type'; node: ts.Node };

/** How the value of a verification call is used. */
export type ResultUse =
  | { kind: 'variable'; name: string }
  | { kind: 'destructured'; names: string[] }
  | { kind: 'returned' }
  | { kind: 'discarded' }
  | { kind: 'other' };

/** What a guard condition reads: a literal (always the same branch), the environment, or anything else. */
export type GuardReads = 'literal' | 'env' | 'other';

/**
 * A construct around a verification call inside its function, innermost first: a condition it runs under,
 * or a `try` it sits in.
 */
export type Enclosing =
  | {
      kind: 'if' | 'ternary';
      condition: ts.Expression;
      conditionReads: GuardReads;
      /** The condition's value when it reads only literals (then one branch always runs); undefined otherwise. */
      constant?: boolean;
      /** The branch the verification is on. */
      branch: 'then' | 'else';
      /** The other branch (undefined for an `if` without `else`). */
      other?: ts.Node;
      /** The other branch always returns or throws. */
      otherTerminates: boolean;
      /** The other branch is `null`/`undefined`/`false` (ternary). */
      otherNullish: boolean;
      /** The other branch reads the request body, parses it or reads event fields (`.data`, `.type`, `payload`). */
      otherTrustsBody: boolean;
    }
  | {
      kind: 'try';
      statement: ts.TryStatement;
      hasCatch: boolean;
      /** The catch block always returns or throws. */
      catchTerminates: boolean;
      /** The catch block answers 4xx/5xx or throws. */
      catchSendsError: boolean;
      /** Statements follow the try in its block (processing can go on after the catch). */
      followedByCode: boolean;
    };

/** Where the payload argument of a verification call comes from. */
export type PayloadProvenance =
  | { state: 'raw' }
  | { state: 'unknown' }
  | {
      state: 'parsed';
      /**
       * stringify: `JSON.stringify(…)`; json-call: `x.json()`; json-parse: `JSON.parse(…)`;
       * parsed-param: a parameter the framework fills with the parsed body (`@Body()`);
       * framework-body: `<request>.body` that the adapter says is parsed.
       */
      how: 'stringify' | 'json-call' | 'json-parse' | 'parsed-param' | 'framework-body';
      /** The expression that carries the parsed value. */
      expression: ts.Expression;
      /** The adapter's words for why (parsed-param, framework-body). */
      reason?: string;
      /** The adapter's fix when it differs from its usual raw-body advice. */
      fix?: string;
    };

/** How an exception thrown by the verification is caught on the way up to the entry point. */
export interface Caught {
  how: 'try' | 'promise-catch' | 'tuple-wrapper';
  /** The node that catches (try statement, `.catch`/`.then` call, wrapper call). */
  node: ts.Node;
}

/** A verification call on a handler's path, with where its result flows and what surrounds it. */
export interface VerificationFacts extends VerificationCall {
  /** The function it is in (and how the handler reached it). */
  reached: Reached;
  result: ResultUse;
  /** `const [err, event] = await to(constructEventAsync(…))`: the names the wrapper's tuple is destructured into. */
  tupleNames: string[];
  /**
   * Runs on every path through its function that gets that far: no condition, loop or swallowing catch
   * around it (a condition on literals that always takes its branch does not count).
   */
  runsUnconditionally: boolean;
  /** Conditions and try statements around it in its function, innermost first. */
  enclosing: Enclosing[];
  /** `constructEventAsync(…).catch(cb)`: what `cb` returns other than nullish values and rejections. */
  promiseFallbacks: ts.Expression[];
  /** Undefined when nothing on the way to the entry catches what it throws. */
  caught?: Caught;
  /**
   * When the result goes into a variable: other assignments to that variable in the same function from the
   * request (`let event = req.body`, `event = JSON.parse(raw)`), in source order.
   */
  otherAssignments: Array<{ expression: ts.Expression; afterVerification: boolean }>;
  /** Undefined when not traced (verifiers that re-fetch the event). */
  payloadProvenance?: PayloadProvenance;
  /** The signature header argument was made by the handler itself with `webhooks.generateTestHeaderString(…)` (see forge.ts). */
  headerMadeBy?: TestHeader;
}

/** A `generateTestHeaderString(Async)` call whose result is passed as a verification's header, and the condition it runs under. */
export interface TestHeader {
  call: ts.CallExpression;
  condition?: ts.Expression;
}

/** A read of the verified event's id (`event.id`, `event['id']`, `const { id } = event`). */
export interface EventIdRead {
  node: ts.Node;
  /** Only logged: inside a logging call or passed to a helper that only logs. */
  onlyLogged: boolean;
}

/** A call or assignment that changes something outside the handler (a write, a call into code not followed). */
export interface Effect {
  file: ParsedFile;
  node: ts.Node;
}

export interface WebhookHandler {
  entry: HandlerEntry;
  /** The adapter's human name and raw-body advice, for messages. */
  adapter: { label: string; rawBodyFix: string };
  /** Evidence that this handler acts on Stripe events (never empty in `StripeModel.handlers`). */
  shapes: EventShape[];
  /** The handler first, then route middlewares and the functions called from them (bounded, breadth first). */
  reached: Reached[];
  /** Verification calls on any path of the handler (its body, helpers, route middlewares). */
  verifications: VerificationFacts[];
  /** The handler hands the signature to code the tool cannot see (assume it verifies). */
  opaqueVerification: boolean;
  /** Reads of the verified event's id, anywhere on the handler's paths. */
  eventIdReads: EventIdRead[];
  /** Work besides logging, reading and answering: redelivery repeats it. */
  effects: Effect[];
  /** A framework setup problem that spoils any payload for this route (the adapter's words), if any. */
  wiringProblem?: string;
  /** Hand-written Stripe signature checks on the handler's path (they verify; see handrolled.ts). */
  handrolled: HandrolledOnPath[];
}
