// Cloudflare Workers (`export default { fetch(request, env) {} }`) and Pages Functions (`onRequest*` exports
// under functions/), Deno.serve / std `serve` (Supabase edge functions), Bun.serve({ fetch }) and
// `addEventListener('fetch', …)`. Raw body: `await request.text()`, verified with
// constructEventAsync (SubtleCrypto has no synchronous HMAC).
import { ts } from '#typescript';
import type { AdapterContext, FrameworkAdapter, HandlerEntry } from '../types.js';
import { exportedFunction, exportedObjectMethod } from '../exports.js';
import { resolveHandler, reportNodeOf } from '../routes.js';
import { accessPath, nameText, stringValue, unwrap, walk } from '../../analysis/ast.js';
import { hints } from './hints.js';

const PAGES_FUNCTION = /(?:^|\/)functions\/.+\.[cm]?[jt]sx?$/;
const PAGES_EXPORTS = ['onRequest', 'onRequestPost', 'onRequestPut', 'onRequestPatch'];

/** The request handler in `Bun.serve({ fetch })` / `Deno.serve({ handler })` options. */
function serveHandler(options: ts.ObjectLiteralExpression, ctx: AdapterContext): ts.FunctionLikeDeclaration | undefined {
  for (const p of options.properties) {
    const name = nameText(p.name);
    if (name !== 'fetch' && name !== 'handler') continue;
    if (ts.isMethodDeclaration(p)) return p;
    if (ts.isPropertyAssignment(p)) return resolveHandler(p.initializer, ctx);
    if (ts.isShorthandPropertyAssignment(p)) return resolveHandler(p.name, ctx);
  }
  return undefined;
}

export const workers: FrameworkAdapter = {
  name: 'workers',
  label: 'Cloudflare Workers / Deno / Bun',
  filterHints: hints,
  entries(file, ctx) {
    const out: HandlerEntry[] = [];
    // Cloudflare Pages Functions: functions/**/*.ts exporting onRequest / onRequestPost(context)
    if (PAGES_FUNCTION.test(file.relPath)) {
      for (const name of PAGES_EXPORTS) {
        const fn = exportedFunction(file, name, ctx);
        if (fn && fn.parameters.length >= 1) out.push({ framework: 'workers', file, fn, reportNode: reportNodeOf(fn) });
      }
    }
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
      // Bun.serve({ port, fetch(req) {} }), Deno.serve({ port, handler })
      const options = target && unwrap(target);
      const fn = options && ts.isObjectLiteralExpression(options) ? serveHandler(options, ctx) : target && resolveHandler(target, ctx);
      if (fn && fn.parameters.length >= 1) out.push({ framework: 'workers', file, fn, reportNode: reportNodeOf(fn) });
    });
    return out;
  },
  rawBodyFix: "read the body with `await request.text()` and verify with `await stripe.webhooks.constructEventAsync(body, request.headers.get('stripe-signature'), secret)`",
};
