// Exported request handlers that no router registration shows: frameworks that wire handlers by
// configuration (Wasp `api` declarations, serverless.yml, custom routers). An exported function whose
// first parameters are a request and a response is an HTTP entry point. When another entry point calls
// it, the engine keeps only that caller (see WebhookAnalyzer.findEntries).
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry } from '../types.js';
import { exportedFunction, exportedNames } from '../exports.js';
import { reportNodeOf } from '../routes.js';
import { hints } from './hints.js';

const REQUEST = /^(req|request)$/;
const RESPONSE = /^(res|response|reply)$/;

export const generic: FrameworkAdapter = {
  name: 'generic',
  label: 'HTTP',
  filterHints: hints,
  entries(file, ctx) {
    const out: HandlerEntry[] = [];
    for (const name of exportedNames(file.sf)) {
      const fn = exportedFunction(file, name, ctx);
      if (!fn || fn.parameters.length < 2) continue;
      const [a, b] = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
      if (REQUEST.test(a) && RESPONSE.test(b)) out.push({ framework: 'generic', file, fn, reportNode: reportNodeOf(fn) });
    }
    return out;
  },
  rawBodyFix: 'pass the raw request bytes (not the parsed body) to constructEvent',
};
