// Which calls are signature verifications: the verifier table (rules/knowledge/stripe-verifiers.ts), the project's own
// verifier names (config `verifiers`), and `handler.handle(body, sig)` on a notification handler.
import { ts } from '#typescript';
import type { ParsedFile } from '../analysis/parse.js';
import { findDeclaration, unwrap, walk } from '../analysis/ast.js';
import { VERIFIERS, type VerifierSpec } from '../../rules/knowledge/stripe-verifiers.js';
import type { VerificationCall } from './model.js';

/** Matched calls: the engine lists every file's verification calls, and handler analysis meets them again. */
const matched = new WeakMap<ts.CallExpression, VerificationCall | null>();

/** Matches a call against the verifier table (and the project's own verifier names). */
export function matchVerifier(call: ts.CallExpression, file: ParsedFile, customVerifiers: ReadonlySet<string>): VerificationCall | undefined {
  let v = matched.get(call);
  if (v === undefined) {
    v = matchVerifierUncached(call, file, customVerifiers) ?? null;
    matched.set(call, v);
  }
  return v ?? undefined;
}

function matchVerifierUncached(call: ts.CallExpression, file: ParsedFile, customVerifiers: ReadonlySet<string>): VerificationCall | undefined {
  const path = memberChain(call.expression);
  if (!path.length) return undefined;
  for (const spec of VERIFIERS) {
    const n = spec.path.length;
    if (path.length < n || (n === 1 && path.length < 2)) continue;
    if (!spec.path.every((seg, i) => path[path.length - n + i] === seg)) continue;
    // Another SDK's look-alike takes one options object (WorkOS: webhooks.constructEvent({ payload,
    // sigHeader, secret })); Stripe's functions take the secret as a positional argument.
    if (spec.secret !== undefined && call.arguments.length <= spec.secret && !call.arguments.some(ts.isSpreadElement)) continue;
    return toVerification(call, file, spec);
  }
  if (customVerifiers.has(path[path.length - 1])) return { file, node: call, spec: 'custom', verifies: true };
  // handler.handle(rawBody, signature) on a stripe.notificationHandler(…) / …WithoutVerification(…)
  const callee = unwrap(call.expression);
  if (path[path.length - 1] === 'handle' && ts.isPropertyAccessExpression(callee) && ts.isIdentifier(unwrap(callee.expression))) {
    const d = findDeclaration(unwrap(callee.expression) as ts.Identifier);
    const init = d && ts.isVariableDeclaration(d) && d.initializer ? unwrap(d.initializer) : undefined;
    if (init && ts.isCallExpression(init)) {
      const made = matchVerifier(init, file, customVerifiers);
      if (made && made.spec !== 'custom' && made.spec.path[made.spec.path.length - 1].startsWith('notificationHandler')) {
        return { file, node: call, spec: { ...made.spec, payload: 0, header: 1, secret: undefined, throws: true }, verifies: made.verifies, payload: call.arguments[0] };
      }
    }
  }
  return undefined;
}

/** Property names ending a callee, whatever the receiver is: `getStripe().webhooks.constructEvent` → ['<expr>', 'webhooks', 'constructEvent']. */
function memberChain(expr: ts.Expression): string[] {
  const names: string[] = [];
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e)) {
    names.unshift(e.name.text);
    e = unwrap(e.expression);
  }
  names.unshift(ts.isIdentifier(e) ? e.text : '<expr>');
  return names;
}

function toVerification(call: ts.CallExpression, file: ParsedFile, spec: VerifierSpec): VerificationCall {
  const arg = (i: number | undefined) => (i === undefined ? undefined : call.arguments[i]);
  return { file, node: call, spec, verifies: spec.verifies, payload: arg(spec.payload), secret: arg(spec.secret), tolerance: arg(spec.tolerance) };
}

/** Every verification call in a file (also outside detected handlers). */
export function findVerifications(file: ParsedFile, customVerifiers: ReadonlySet<string>): VerificationCall[] {
  const out: VerificationCall[] = [];
  walk(file.sf, (n) => {
    if (ts.isCallExpression(n)) {
      const v = matchVerifier(n, file, customVerifiers);
      if (v) out.push(v);
    }
  });
  return out;
}
