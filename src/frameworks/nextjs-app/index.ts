// Next.js app router: `export async function POST(req)` in app/**/route.ts. The raw body is `await req.text()`.
import type { FrameworkAdapter } from '../types.js';
import { exportedFunction } from '../exports.js';
import { reportNodeOf } from '../routes.js';
import { hints, ROUTE_FILE } from './hints.js';

export const nextjsApp: FrameworkAdapter = {
  name: 'nextjs-app',
  label: 'Next.js (app router)',
  filterHints: hints,
  entries(file, ctx) {
    if (!ROUTE_FILE.test(file.relPath)) return [];
    const fn = exportedFunction(file, 'POST', ctx);
    return fn ? [{ framework: 'nextjs-app', file, fn, reportNode: reportNodeOf(fn) }] : [];
  },
  rawBodyFix: 'read the body with `const body = await req.text()` and pass that string to constructEvent',
};
