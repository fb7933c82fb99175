// Next.js pages router: `export default` handler in pages/api/**. Next parses JSON bodies unless the file
// exports `config = { api: { bodyParser: false } }`.
import { ts } from '#typescript';
import type { FrameworkAdapter } from '../types.js';
import { exportedFunction } from '../exports.js';
import { reportNodeOf } from '../routes.js';
import { propertyValue, unwrap } from '../../analysis/ast.js';
import { hints, PAGES_API } from './hints.js';

function bodyParserDisabled(sf: ts.SourceFile): boolean {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== 'config' || !d.initializer) continue;
      const cfg = unwrap(d.initializer);
      if (!ts.isObjectLiteralExpression(cfg)) continue;
      const api = propertyValue(cfg, 'api');
      if (api && ts.isObjectLiteralExpression(unwrap(api))) {
        const bp = propertyValue(unwrap(api) as ts.ObjectLiteralExpression, 'bodyParser');
        if (bp && unwrap(bp).kind === ts.SyntaxKind.FalseKeyword) return true;
      }
    }
  }
  return false;
}

export const nextjsPages: FrameworkAdapter = {
  name: 'nextjs-pages',
  label: 'Next.js (pages router)',
  filterHints: hints,
  entries(file, ctx) {
    if (!PAGES_API.test(file.relPath)) return [];
    const fn = exportedFunction(file, 'default', ctx);
    return fn ? [{ framework: 'nextjs-pages', file, fn, reportNode: reportNodeOf(fn) }] : [];
  },
  requestBody: () => ({ parsed: true, reason: 'the pages router parses JSON bodies into req.body' }),
  wiringProblem(entry) {
    if (bodyParserDisabled(entry.file.sf)) return undefined;
    return 'the pages router parses the body before the handler runs (no `export const config = { api: { bodyParser: false } }` in this file), so the raw bytes are gone';
  },
  rawBodyFix: 'add `export const config = { api: { bodyParser: false } }` and read the raw body with `buffer(req)` (micro) or `getRawBody(req)`',
};
