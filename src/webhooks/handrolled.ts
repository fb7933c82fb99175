// Hand-written Stripe signature checks: an HMAC-SHA256 over `${t}.${payload}` (Stripe's signed content,
// stripe-node src/Webhooks.ts) compared with the header's `v1=` value, without the SDK. Such a check
// verifies (the handler is not unverified); whether it compares in constant time and checks the
// timestamp is for the webhook-signature-handrolled rule to judge.
//
// Precision: an ordinary HMAC (GitHub's `sha256=` over the body, Shopify's base64 HMAC, Slack's
// `v0:${ts}:${body}`, Svix's `${id}.${ts}.${body}`, JWTs) is not a Stripe check. It takes both the
// two-part dotted content and Stripe evidence in the same file or on the handler's path.
import { ts } from '#typescript';
import type { ParsedFile } from '../analysis/parse.js';
import { accessPath, enclosingFunction, findDeclaration, isInside, stringValue, unwrap, walk, walkOwnBody } from '../analysis/ast.js';

export interface HandrolledCheck {
  file: ParsedFile;
  /** The HMAC computation: `createHmac('sha256', secret)` or `crypto.subtle.sign('HMAC', …)` / `.verify(…)`. */
  hmac: ts.CallExpression;
  /** The function that computes it (undefined at module level). */
  fn?: ts.FunctionLikeDeclaration;
  /** The comparison of the computed signature with the received one, if the tool saw it. */
  comparison?: ts.Node;
  /** true: timingSafeEqual / subtle.verify / a XOR loop; false: ===, !==, ==, includes, Buffer#equals. */
  constantTime?: boolean;
  /** What says this is Stripe's scheme (for messages). */
  evidence: string;
}

/** Stripe evidence in a text: the header, the secret's prefix or an env name, the `v1` scheme. */
const STRIPE_EVIDENCE: Array<[RegExp, string]> = [
  [/stripe-signature/i, 'reads the stripe-signature header'],
  [/whsec_/, 'uses a whsec_ secret'],
  // a webhook secret's name, not the API key's (STRIPE_SECRET_KEY is in most files that use Stripe at all)
  [/\bSTRIPE\w*(?:WEBHOOK|WHSEC|SIGNING)\w*|\bWEBHOOK\w*STRIPE\w*/i, 'uses a Stripe webhook secret'],
  [/['"`]v1=?['"`]|\{[^{}]*\bv1\b[^{}]*\}\s*=|\.v1\b/, "parses the header's v1 value"],
];

/** Callees that compare in constant time (node:crypto, tsscmp, scmp, hand-named helpers). */
const CONSTANT_TIME = /timingSafeEqual|secureCompare|safeCompare|constantTime|timingSafe|safeEqual|fixedTime|^tsscmp$|^scmp$/i;

/** Calls that compare in variable time (`sigs.includes(expected)`, `a.equals(b)`, `Buffer.compare(a, b)`). */
const VARIABLE_TIME_CALLS = new Set(['includes', 'indexOf', 'equals', 'compare', 'localeCompare', 'find', 'findIndex']);

const EQUALITY = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

const cache = new WeakMap<ts.SourceFile, HandrolledCheck[]>();

/** Resolves a callee to the function it calls (the analysis' resolver: imports, re-exports, methods). */
export type ResolveFunction = (callee: ts.Expression) => ts.FunctionLikeDeclaration | undefined;

/** A file that may hold a check: an HMAC, or Stripe's signed content handed to a helper that computes one. */
const MAY_HOLD_CHECK = /createHmac|subtle|\$\{\s*[\w.]+\s*\}\.\$\{/;

/** Every hand-written Stripe signature check in a file. */
export function findHandrolledChecks(file: ParsedFile, resolve: ResolveFunction): HandrolledCheck[] {
  let out = cache.get(file.sf);
  if (out) return out;
  out = [];
  if (MAY_HOLD_CHECK.test(file.text)) {
    walk(file.sf, (n) => {
      if (!ts.isCallExpression(n)) return;
      const check = hmacOverStripeContent(n, file) ?? helperHmacOverStripeContent(n, file, resolve);
      if (check) out!.push(check);
    });
  }
  cache.set(file.sf, out);
  return out;
}

/**
 * `computeSignature(secret, HMAC_SHA256, `${t}.${body}`)`: Stripe's signed content handed to a helper (in
 * any file) that computes an HMAC-SHA256 over that parameter. The call's result is the signature; its
 * comparison is looked for where the call is.
 */
function helperHmacOverStripeContent(call: ts.CallExpression, file: ParsedFile, resolve: ResolveFunction): HandrolledCheck | undefined {
  const i = call.arguments.findIndex((a) => isStripeSignedContent(a));
  if (i < 0) return undefined;
  const fn = resolve(call.expression);
  const param = fn?.parameters[i];
  if (!fn?.body || !param || !ts.isIdentifier(param.name)) return undefined;
  const names = new Set([param.name.text]);
  let hmac: ts.CallExpression | undefined;
  walk(fn.body, (m) => {
    if (hmac || !ts.isCallExpression(m)) return;
    const path = accessPath(m.expression) ?? [];
    const last = path[path.length - 1];
    const isHmac = last === 'createHmac' || ((last === 'sign' || last === 'verify') && path.includes('subtle'));
    if (isHmac && (mentions(m, names) || (last === 'createHmac' && mentions(outerChain(m), names)))) hmac = m;
  });
  if (!hmac) return undefined;
  // SHA-256 named at the call or in the helper; a base64 digest is another scheme (Stripe's v1 is hex).
  const said = call.arguments.map((a) => a.getText()).join(' ') + ' ' + hmac.getText();
  if (!/sha-?256/i.test(said) || /base64/i.test(call.arguments.map((a) => a.getText()).join(' '))) return undefined;
  const alg = stringValue(hmac.arguments[0]);
  if (alg !== undefined && !/^sha-?256$/i.test(alg) && !/hmac/i.test(alg)) return undefined;
  const at = enclosingFunction(call);
  const check: HandrolledCheck = { file, hmac: call, fn: at, evidence: stripeEvidence([file.text]) ?? '' };
  const last = (accessPath(hmac.expression) ?? []).slice(-1)[0];
  if (last === 'verify') {
    check.comparison = call;
    check.constantTime = true;
  } else Object.assign(check, comparisonOf(call, at ?? file.sf));
  return check;
}

/** Providers whose signatures have Stripe's exact shape (WorkOS signs `${t}.${payload}` into `t=…, v1=…` too). */
const LOOK_ALIKE_PROVIDERS = /workos/i;

/** Stripe evidence in the file of the check or in the texts of the functions on the handler's path. */
export function stripeEvidence(texts: string[]): string | undefined {
  for (const [re, label] of STRIPE_EVIDENCE) {
    if (!texts.some((t) => re.test(t))) continue;
    // `v1` alone is also WorkOS's scheme: it counts only where no look-alike provider is named.
    if (label.includes('v1') && texts.some((t) => LOOK_ALIKE_PROVIDERS.test(t))) continue;
    return label;
  }
  return undefined;
}

function hmacOverStripeContent(call: ts.CallExpression, file: ParsedFile): HandrolledCheck | undefined {
  const path = accessPath(call.expression) ?? [];
  const last = path[path.length - 1];
  let content: ts.Expression | undefined;
  let digest: ts.Expression | undefined;
  let verifyCall = false;
  if (last === 'createHmac') {
    const alg = stringValue(call.arguments[0]);
    if (alg !== undefined && alg.toLowerCase() !== 'sha256') return undefined;
    ({ content, digest } = nodeHmacFlow(call));
  } else if ((last === 'sign' || last === 'verify') && path.includes('subtle')) {
    const alg = call.arguments[0] && unwrap(call.arguments[0]);
    const algName = alg && (stringValue(alg) ?? (ts.isObjectLiteralExpression(alg) ? alg.getText() : undefined));
    if (!algName || !/hmac/i.test(algName)) return undefined;
    content = call.arguments[last === 'sign' ? 2 : 3];
    digest = call;
    verifyCall = last === 'verify';
  } else return undefined;
  if (!content || !isStripeSignedContent(content)) return undefined;
  // Stripe's v1 signature is hex; base64 and base64url digests are other schemes (JWT HS256, Shopify).
  if (digest && ts.isCallExpression(digest) && !verifyCall) {
    const enc = digestEncoding(digest);
    if (enc !== undefined && enc.toLowerCase() !== 'hex') return undefined;
  }
  const fn = enclosingFunction(call);
  const evidence = stripeEvidence([file.text]);
  const check: HandrolledCheck = { file, hmac: call, fn, evidence: evidence ?? '' };
  if (verifyCall) {
    check.comparison = call;
    check.constantTime = true;
  } else if (digest) {
    Object.assign(check, comparisonOf(digest, fn ?? file.sf));
  }
  return check;
}

/** The encoding named in the chain's `.digest(enc)` / `.toString(enc)` (undefined: a Buffer, or not said). */
function digestEncoding(chainEnd: ts.CallExpression): string | undefined {
  for (let e: ts.Expression = chainEnd; ts.isCallExpression(e); ) {
    const callee = unwrap(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    if (callee.name.text === 'digest' || callee.name.text === 'toString') {
      const enc = stringValue(e.arguments[0]);
      if (enc !== undefined) return enc;
    }
    e = unwrap(callee.expression);
  }
  return undefined;
}

/** createHmac(alg, key).update(content).digest(enc), in one chain or through a variable. */
function nodeHmacFlow(create: ts.CallExpression): { content?: ts.Expression; digest?: ts.Expression } {
  let content: ts.Expression | undefined;
  let digest: ts.Expression | undefined;
  // The chain: createHmac(…).update(x).digest('hex')
  let n: ts.Node = create;
  while (ts.isPropertyAccessExpression(n.parent) && ts.isCallExpression(n.parent.parent) && n.parent.parent.expression === n.parent) {
    const name = n.parent.name.text;
    n = n.parent.parent;
    if (name === 'update') content ??= (n as ts.CallExpression).arguments[0];
    if (name === 'digest') digest = n as ts.Expression;
  }
  // const hmac = createHmac(…); hmac.update(x); const sig = hmac.digest('hex')
  const decl = n.parent;
  if (!digest && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
    const name = decl.name.text;
    const scope = enclosingFunction(create) ?? create.getSourceFile();
    walk(scope, (m) => {
      if (!ts.isCallExpression(m) || !ts.isPropertyAccessExpression(m.expression)) return;
      const recv = unwrap(m.expression.expression);
      if (!ts.isIdentifier(recv) || recv.text !== name) return;
      if (m.expression.name.text === 'update') content ??= m.arguments[0];
      if (m.expression.name.text === 'digest') digest ??= outerChain(m);
    });
  }
  return { content, digest };
}

/** `hmac.digest().toString('hex')`: the outermost call of a chain starting at `call`. */
function outerChain(call: ts.CallExpression): ts.Expression {
  let n: ts.Expression = call;
  while (ts.isPropertyAccessExpression(n.parent) && ts.isCallExpression(n.parent.parent) && n.parent.parent.expression === n.parent) n = n.parent.parent;
  return n;
}

/** `${t}.${payload}`, `t + '.' + payload`, `[t, payload].join('.')`, possibly in a variable or encoded. */
function isStripeSignedContent(expr: ts.Expression, depth = 0): boolean {
  if (depth > 3) return false;
  const e = unwrap(expr);
  if (ts.isTemplateExpression(e)) {
    return e.head.text === '' && e.templateSpans.length === 2 && e.templateSpans[0].literal.text === '.' && e.templateSpans[1].literal.text === '';
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const parts = flattenPlus(e);
    return parts.length === 3 && stringValue(parts[1]) === '.' && stringValue(parts[0]) === undefined && stringValue(parts[2]) === undefined;
  }
  if (ts.isCallExpression(e)) {
    const callee = unwrap(e.expression);
    // [t, payload].join('.')
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'join' && stringValue(e.arguments[0]) === '.') {
      const arr = unwrap(callee.expression);
      return ts.isArrayLiteralExpression(arr) && arr.elements.length === 2;
    }
    // encoder.encode(x), Buffer.from(x), new TextEncoder().encode(x)
    if (e.arguments[0]) return isStripeSignedContent(e.arguments[0], depth + 1);
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (d && ts.isVariableDeclaration(d) && d.initializer) return isStripeSignedContent(d.initializer, depth + 1);
  }
  return false;
}

function flattenPlus(e: ts.Expression): ts.Expression[] {
  const u = unwrap(e);
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...flattenPlus(u.left), ...flattenPlus(u.right)];
  return [u];
}

/**
 * Where the computed signature is compared with the received one, and how: follows it into variables
 * (`const expected = …digest('hex')`, `Buffer.from(expected, 'hex')`) and, when a helper returns it,
 * to the helper's callers in the same file.
 */
function comparisonOf(digest: ts.Expression, scope: ts.Node): Pick<HandrolledCheck, 'comparison' | 'constantTime'> {
  const values = new Set<ts.Node>([digest]);
  const names = new Set<string>();
  const scopes = new Set<ts.Node>([scope]);
  const track = (e: ts.Node) => {
    const decl = holder(e);
    if (decl) names.add(decl);
    else if (returned(e)) {
      // function sign(t, body) { return createHmac(…)…digest('hex') } … sign(t, raw) !== v1
      const fn = enclosingFunction(e);
      const fname = fn && functionName(fn);
      if (fname) {
        walk(fn.getSourceFile(), (m) => {
          if (ts.isCallExpression(m) && ts.isIdentifier(unwrap(m.expression)) && (unwrap(m.expression) as ts.Identifier).text === fname) {
            values.add(outerChain(m));
            const callerDecl = holder(outerChain(m));
            if (callerDecl) names.add(callerDecl);
            scopes.add(enclosingFunction(m) ?? m.getSourceFile());
          }
        });
      }
    }
  };
  track(digest);
  // Values derived from the tracked ones (`const expectedBuf = Buffer.from(expected, 'hex')`), to a fixpoint.
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of scopes) {
      walk(s, (m) => {
        if (ts.isVariableDeclaration(m) && ts.isIdentifier(m.name) && m.initializer && !names.has(m.name.text) && mentions(m.initializer, names)) {
          names.add(m.name.text);
          changed = true;
        }
      });
    }
  }
  const isTracked = (e: ts.Expression) => {
    const u = unwrap(e);
    return values.has(u) || values.has(e) || (ts.isIdentifier(u) && names.has(u.text));
  };
  let variable: ts.Node | undefined;
  let constant: ts.Node | undefined;
  for (const s of scopes) {
    walk(s, (m) => {
      if (ts.isBinaryExpression(m)) {
        if (EQUALITY.has(m.operatorToken.kind) && (isTracked(m.left) || isTracked(m.right))) variable ??= m;
        // a hand-written constant-time loop: diff |= a[i] ^ b[i]
        if (m.operatorToken.kind === ts.SyntaxKind.CaretToken && (mentions(m.left, names) || mentions(m.right, names))) constant ??= m;
      }
      if (ts.isCallExpression(m)) {
        const callee = unwrap(m.expression);
        const last = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        const args = m.arguments.some((a) => isTracked(a) || mentions(a, names));
        if (CONSTANT_TIME.test(last) && args) constant ??= m;
        else if (VARIABLE_TIME_CALLS.has(last) && (args || (ts.isPropertyAccessExpression(callee) && isTracked(callee.expression)))) variable ??= m;
      }
    });
  }
  if (variable) return { comparison: variable, constantTime: false };
  if (constant) return { comparison: constant, constantTime: true };
  return {};
}

/** The variable a value is stored in (`const x = value`, `x = value`). */
function holder(e: ts.Node): string | undefined {
  let n = e;
  while (n.parent && (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (p && ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n && ts.isIdentifier(p.left)) return p.left.text;
  return undefined;
}

function returned(e: ts.Node): boolean {
  let n = e;
  while (n.parent && (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent))) n = n.parent;
  return !!n.parent && (ts.isReturnStatement(n.parent) || (ts.isArrowFunction(n.parent) && n.parent.body === n));
}

function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walk(node, (m) => {
    if (found) return false;
    if (ts.isIdentifier(m) && names.has(m.text) && !(ts.isPropertyAccessExpression(m.parent) && m.parent.name === m)) found = true;
    return undefined;
  });
  return found;
}

/** Reading the clock: `Date.now()`, `new Date()`, `performance.now()`, `Math.floor(Date.now() / 1000)`. */
const CLOCK = /\bDate\.now\s*\(|\bnew\s+Date\s*\(|\bperformance\.now\s*\(|\.getTime\s*\(|\bDate\.parse\s*\(|\bunixNow\b|\bnowSeconds\b|\bcurrentTime\b/;
/** Names of a replay window: `TOLERANCE_SECONDS`, `maxAge`, `clockSkew`. */
const WINDOW_NAME = /toleran|max_?age|skew|replay/i;

const RELATIONAL = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken]);

/**
 * Does any of these functions compare the age of something with a window: a relational comparison
 * over the clock (directly or through variables computed from it, `const age = now - t`) or with a
 * window-named value?
 */
export function hasToleranceCheck(fns: Iterable<ts.Node>): boolean {
  for (const fn of fns) {
    const clockVars = new Set<string>();
    for (let changed = true; changed; ) {
      changed = false;
      walkOwnBody(fn, (n) => {
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && !clockVars.has(n.name.text)) {
          if (CLOCK.test(n.initializer.getText()) || mentions(n.initializer, clockVars)) {
            clockVars.add(n.name.text);
            changed = true;
          }
        }
      });
    }
    let found = false;
    walkOwnBody(fn, (n) => {
      if (found) return false;
      if (ts.isBinaryExpression(n) && RELATIONAL.has(n.operatorToken.kind)) {
        const text = n.getText();
        if (CLOCK.test(text) || WINDOW_NAME.test(text) || mentions(n, clockVars)) found = true;
      }
      return undefined;
    });
    if (found) return true;
  }
  return false;
}

/** A check on a handler's path, with what the path adds: Stripe evidence and a tolerance check anywhere on it. */
export interface HandrolledOnPath extends HandrolledCheck {
  /** A timestamp window is checked in the function computing the HMAC or on the handler's path. */
  tolerance: boolean;
}

/** The hand-written Stripe checks in the functions a handler reaches (its body, helpers, middlewares, guards). */
export function handrolledChecksOn(fns: readonly ts.FunctionLikeDeclaration[], fileOf: (n: ts.Node) => ParsedFile | undefined, resolve: ResolveFunction): HandrolledOnPath[] {
  const out: HandrolledOnPath[] = [];
  const seen = new Set<ts.Node>();
  let pathEvidence: string | undefined | null = null;
  for (const fn of fns) {
    const file = fileOf(fn);
    if (!file) continue;
    for (const c of findHandrolledChecks(file, resolve)) {
      if (seen.has(c.hmac) || !isInside(c.hmac, fn)) continue;
      seen.add(c.hmac);
      if (pathEvidence === null) pathEvidence = stripeEvidence(fns.map((f) => f.getText()));
      const evidence = c.evidence || pathEvidence;
      if (!evidence) continue;
      out.push({ ...c, evidence, tolerance: hasToleranceCheck([c.fn ?? c.file.sf, ...fns]) });
    }
  }
  return out;
}


/**
 * Every hand-written Stripe check in the parsed files whose own file shows Stripe's scheme, wherever it is
 * (a library's exported validator that no scanned handler calls, a helper wired by auto-imports): the
 * timestamp window is judged in its own function and file.
 */
export function handrolledChecksIn(files: readonly ParsedFile[], resolve: ResolveFunction): HandrolledOnPath[] {
  return files.flatMap((f) => findHandrolledChecks(f, resolve).filter((c) => c.evidence).map((c) => ({ ...c, tolerance: hasToleranceCheck([c.fn ?? c.file.sf]) })));
}
