// Firebase / Google Cloud Functions: `onRequest(handler)`, `functions.https.onRequest(handler)`. The platform
// always parses JSON into req.body and keeps the bytes in req.rawBody, also for an Express app it serves
// (`onRequest(app)`): its routes' `express.raw()` then never sees the bytes (the `hostedApps` fact).
import { ts } from '#typescript';
import type { ParsedFile } from '../../analysis/parse.js';
import type { FrameworkAdapter, HandlerEntry, HostedApp } from '../types.js';
import { resolveHandler, reportNodeOf } from '../routes.js';
import { accessPath, isFunctionLike, unwrap, walk } from '../../analysis/ast.js';
import { hints } from './hints.js';

const RAW_BODY_FIX = 'pass `req.rawBody` (the Buffer Cloud Functions keep) instead of `req.body`';

/** `onRequest(…)` / `functions.https.onRequest(…)` / `functions.http(…)` calls of a file, with their last argument. */
function onRequestCalls(file: ParsedFile): Array<{ call: ts.CallExpression; arg: ts.Expression }> {
  if (!/onRequest|functions\.http/.test(file.text)) return [];
  const out: Array<{ call: ts.CallExpression; arg: ts.Expression }> = [];
  walk(file.sf, (n) => {
    if (!ts.isCallExpression(n)) return;
    const path = accessPath(n.expression);
    const last = path?.[path.length - 1];
    if (last !== 'onRequest' && !(path?.join('.') === 'functions.http')) return;
    const arg = n.arguments[n.arguments.length - 1];
    if (arg) out.push({ call: n, arg });
  });
  return out;
}

/** An app handed over by name (`onRequest(app)`), not a handler function written in place. */
function hostedApps(files: ParsedFile[]): HostedApp[] {
  const out: HostedApp[] = [];
  for (const file of files) {
    for (const { call, arg } of onRequestCalls(file)) {
      if (isFunctionLike(unwrap(arg)) || !ts.isIdentifier(unwrap(arg))) continue;
      out.push({ app: arg, call, label: 'Firebase Functions', reason: 'Cloud Functions parse JSON bodies into req.body before the app runs, so a raw parser on the route never sees the bytes', keeps: 'rawBody', fix: RAW_BODY_FIX });
    }
  }
  return out;
}

export const firebase: FrameworkAdapter = {
  name: 'firebase',
  label: 'Firebase Functions',
  filterHints: hints,
  entries(file, ctx) {
    const out: HandlerEntry[] = [];
    for (const { arg } of onRequestCalls(file)) {
      const fn = resolveHandler(arg, ctx);
      if (fn && fn.parameters.length >= 1) out.push({ framework: 'firebase', file, fn, reportNode: reportNodeOf(fn) });
    }
    return out;
  },
  projectFacts: (files) => ({ hostedApps: hostedApps(files) }),
  requestBody: () => ({ parsed: true, reason: 'Cloud Functions parse JSON bodies into req.body' }),
  rawBodyFix: RAW_BODY_FIX,
};
