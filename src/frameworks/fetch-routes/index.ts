// File-routed frameworks whose handlers take a Fetch API Request: Remix / React Router (`action` in
// app/routes/**), SvelteKit (`POST` in src/routes/**/+server.ts), Astro (`POST` in src/pages/**), and
// Nuxt / h3 (`defineEventHandler` in server/api/**). The raw body is `await request.text()`
// (h3: `await readRawBody(event)`).
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry } from '../types.js';
import { exportedFunction } from '../exports.js';
import { reportNodeOf, resolveHandler } from '../routes.js';
import { accessPath, unwrap } from '../../analysis/ast.js';
import { hints, REMIX_ROUTE, SVELTEKIT_SERVER, ASTRO_PAGE, NUXT_SERVER } from './hints.js';

const ROUTES: Array<{ path: RegExp; exports: string[] }> = [
  { path: REMIX_ROUTE, exports: ['action'] },
  { path: SVELTEKIT_SERVER, exports: ['POST', 'fallback'] },
  { path: ASTRO_PAGE, exports: ['POST', 'ALL'] },
];

export const fetchRoutes: FrameworkAdapter = {
  name: 'fetch-routes',
  label: 'Remix / SvelteKit / Astro / Nuxt',
  filterHints: hints,
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
