// Firebase / Google Cloud Functions: `onRequest(handler)`, `functions.https.onRequest(handler)`. The platform
// always parses JSON into req.body and keeps the bytes in req.rawBody.
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry } from '../types.js';
import { resolveHandler, reportNodeOf } from '../routes.js';
import { accessPath, walk } from '../../analysis/ast.js';
import { hints } from './hints.js';

export const firebase: FrameworkAdapter = {
  name: 'firebase',
  label: 'Firebase Functions',
  filterHints: hints,
  entries(file, ctx) {
    if (!/onRequest|functions\.http/.test(file.text)) return [];
    const out: HandlerEntry[] = [];
    walk(file.sf, (n) => {
      if (!ts.isCallExpression(n)) return;
      const path = accessPath(n.expression);
      const last = path?.[path.length - 1];
      if (last !== 'onRequest' && !(path?.join('.') === 'functions.http')) return;
      const arg = n.arguments[n.arguments.length - 1];
      const fn = arg && resolveHandler(arg, ctx);
      if (fn && fn.parameters.length >= 1) out.push({ framework: 'firebase', file, fn, reportNode: reportNodeOf(fn) });
    });
    return out;
  },
  requestBody: () => ({ parsed: true, reason: 'Cloud Functions parse JSON bodies into req.body' }),
  rawBodyFix: 'pass `req.rawBody` (the Buffer Cloud Functions keep) instead of `req.body`',
};
