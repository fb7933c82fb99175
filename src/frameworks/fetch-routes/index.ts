// File-routed frameworks whose handlers take a Fetch API Request: Remix / React Router (`action` in
// app/routes/**), SvelteKit (`POST` in src/routes/**/+server.ts), Astro (`POST` in src/pages/**), and
// Nuxt / h3 (`defineEventHandler` in server/api/**). The raw body is `await request.text()`
// (h3: `await readRawBody(event)`).
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry } from '../types.js';
import { exportedFunction } from '../exports.js';
import { reportNodeOf, resolveHandler } from '../routes.js';
import { accessPath, unwrap } from '../../ast.js';

const ROUTES: Array<{ path: RegExp; exports: string[] }> = [
  { path: /(?:^|\/)app\/routes\/.+\.[cm]?[jt]sx?$/, exports: ['action'] },
  { path: /(?:^|\/)src\/routes\/(?:.*\/)?\+server\.[jt]s$/, exports: ['POST', 'fallback'] },
  { path: /(?:^|\/)src\/pages\/.+\.[jt]s$/, exports: ['POST', 'ALL'] },
];
const NUXT_SERVER = /(?:^|\/)server\/(?:api|routes)\/.+\.[jt]s$/;

export const fetchRoutes: FrameworkAdapter = {
  name: 'fetch-routes',
  label: 'Remix / SvelteKit / Astro / Nuxt',
  entries(file, ctx) {
    const out: HandlerEntry[] = [];
    for (const route of ROUTES) {
      if (!route.path.test(file.relPath)) continue;
      for (const name of route.exports) {
        const fn = exportedFunction(file, name, ctx);
        if (fn && fn.parameters.length >= 1) out.push({ framework: 'fetch-routes', file, fn, reportNode: reportNodeOf(fn) });
      }
    }
    if (NUXT_SERVER.test(file.relPath)) {
      for (const st of file.sf.statements) {
        if (!ts.isExportAssignment(st) || st.isExportEquals) continue;
        const e = unwrap(st.expression);
        const callee = ts.isCallExpression(e) ? accessPath(e.expression)?.slice(-1)[0] : undefined;
        if (!callee || !/^(defineEventHandler|eventHandler)$/.test(callee)) continue;
        const fn = resolveHandler((e as ts.CallExpression).arguments[0], ctx);
        if (fn) out.push({ framework: 'fetch-routes', file, fn, reportNode: reportNodeOf(fn) });
      }
    }
    return out;
  },
  rawBodyFix: 'read the body with `await request.text()` (h3/Nuxt: `await readRawBody(event)`) and pass that string to constructEvent',
};
