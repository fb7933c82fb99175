// Cloudflare Workers (`export default { fetch(request, env) {} }`), Deno.serve / std `serve` (Supabase
// edge functions) and `addEventListener('fetch', …)`. Raw body: `await request.text()`, verified with
// constructEventAsync (SubtleCrypto has no synchronous HMAC).
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry } from '../types.js';
import { exportedObjectMethod } from '../exports.js';
import { resolveHandler, reportNodeOf } from '../routes.js';
import { accessPath, stringValue, walk } from '../../ast.js';
import { hints } from './hints.js';

export const workers: FrameworkAdapter = {
  name: 'workers',
  label: 'Cloudflare Workers / Deno',
  filterHints: hints,
  entries(file, ctx) {
    const out: HandlerEntry[] = [];
    const fetch = exportedObjectMethod(file, 'fetch');
    if (fetch && fetch.parameters.length >= 1) out.push({ framework: 'workers', file, fn: fetch, reportNode: reportNodeOf(fetch) });
    if (!/serve\s*\(|addEventListener/.test(file.text)) return out;
    walk(file.sf, (n) => {
      if (!ts.isCallExpression(n)) return;
      const path = accessPath(n.expression)?.join('.');
      let target: ts.Expression | undefined;
      if (path === 'Deno.serve' || path === 'serve' || path === 'Bun.serve') {
        target = n.arguments.find((a) => !ts.isObjectLiteralExpression(a)) ?? n.arguments[n.arguments.length - 1];
      } else if (path === 'addEventListener' && stringValue(n.arguments[0]) === 'fetch') {
        target = n.arguments[1];
      }
      const fn = target && resolveHandler(target, ctx);
      if (fn && fn.parameters.length >= 1) out.push({ framework: 'workers', file, fn, reportNode: reportNodeOf(fn) });
    });
    return out;
  },
  rawBodyFix: "read the body with `await request.text()` and verify with `await stripe.webhooks.constructEventAsync(body, request.headers.get('stripe-signature'), secret)`",
};
